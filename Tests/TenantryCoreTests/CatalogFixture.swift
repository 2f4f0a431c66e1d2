import Foundation
import Testing
import TenantryTestSupport

@testable import TenantryCore

/// A migrations folder built in a temporary directory for one test, read back as a catalog.
struct CatalogFixture {
    let directory: TemporaryDirectory

    init(_ files: [String: String]) throws {
        directory = try TemporaryDirectory("tenantry-catalog")
        for (name, contents) in files { try directory.write(name, contents) }
    }

    var path: String { directory.path }

    func load(_ format: MigrationFormat? = nil) throws(TenantryError) -> MigrationCatalog {
        try MigrationCatalog.load(directory: path, format: format)
    }

    /// Builds the folder, loads it, and removes it again.
    static func load(_ files: [String: String], format: MigrationFormat? = nil) throws -> MigrationCatalog {
        let fixture = try CatalogFixture(files)
        defer { fixture.directory.remove() }
        return try fixture.load(format)
    }

    /// The error loading `files` throws (recorded as a failure when it loads).
    static func error(
        _ files: [String: String], format: MigrationFormat? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> TenantryError {
        let fixture = try CatalogFixture(files)
        defer { fixture.directory.remove() }
        return try #require(throws: TenantryError.self, sourceLocation: sourceLocation) { try fixture.load(format) }
    }
}
