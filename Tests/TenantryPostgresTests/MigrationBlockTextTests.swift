import Foundation
import PostgresNIO
import Testing
import TenantryTestSupport

@testable import TenantryPostgres

/// A block carries its history row's and settings' values as SQL text: whatever a value holds, the server
/// must read back exactly that value, inside the block's dollar quotes, whatever the session's settings.
@Suite("migration blocks: values as text")
struct MigrationBlockTextTests {
    static let values = [
        "it's", #"back\slash"#, #"\x41 stays four characters"#, "$tenantry_do$ and $$ and $5", "two\nlines\tand a tab",
        "ünïcödé ✓ 𝄞", "", "''", #"\'"#, "\u{7f}del",
    ]

    @Test(TestDatabase.required)
    func everyValueReadsBackAsItselfInsideADollarQuotedBlock() async throws {
        let connector = try PG.connector(PG.settings())
        for conforming in ["on", "off"] {
            try await connector.withConnection { connection in
                try await connection.execute("SET standard_conforming_strings = \(conforming)", logger: PG.logger)
                try await connection.execute("CREATE TEMP TABLE IF NOT EXISTS seen (n int, v text)", logger: PG.logger)
                try await connection.execute("TRUNCATE seen", logger: PG.logger)
                let inserts = Self.values.enumerated().map { "INSERT INTO seen VALUES (\($0), \(MigrationBlock.text($1)));" }
                try await connection.execute("DO $tenantry_do$\nBEGIN\n\(inserts.joined(separator: "\n"))\nEND\n$tenantry_do$", logger: PG.logger)
                let rows = try await connection.query("SELECT n, v FROM seen ORDER BY n", logger: PG.logger).collect()
                let read = try rows.map { try $0.decode((Int, String).self) }
                #expect(read.map(\.1) == Self.values, "standard_conforming_strings = \(conforming)")
            }
        }
        // One line per value: a block maps an error's line back to its part.
        #expect(Self.values.allSatisfy { !MigrationBlock.text($0).contains("\n") && !MigrationBlock.text($0).contains("$") })
    }
}
