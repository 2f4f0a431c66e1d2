import Foundation
import PostgresNIO
import Testing
import TenantryCore
import TenantryTestSupport

@testable import TenantryPostgres

@Suite("TenantRegistry: find, list and stored values")
struct TenantRegistryQueryTests {
    typealias Fixture = TenantRegistryFixture

    @Test(TestDatabase.required)
    func listIsOrderedByIdAndHidesDeletedTenants() async throws {
        try await Fixture.with { registry, _ in
            for id in ["charlie", "alpha", "bravo", "Zulu"] {
                _ = try await registry.register(Fixture.tenant(id))
            }
            try await registry.transition("bravo", to: .deleted)
            #expect(try await registry.list().map(\.id) == ["Zulu", "alpha", "charlie"], "byte order")
            #expect(try await registry.list(includeDeleted: true).map(\.id) == ["Zulu", "alpha", "bravo", "charlie"])
            #expect(try await registry.find("bravo")?.status == .deleted)
            #expect(try await registry.find("delta") == nil)
            let alpha = try #require(try await registry.find("alpha"))
            #expect(try await registry.list().first { $0.id == "alpha" } == alpha)
        }
    }

    @Test(TestDatabase.required)
    func metadataRoundTripsQuotesAndUnicode() async throws {
        try await Fixture.with { registry, master in
            let metadata = [
                "city": "Zürich 🏔️ — \"quoted\" and 'single'",
                "path": "C:\\wells\\north/south",
                "sql": "'); DROP TABLE tenantry.tenants; --",
                "multi\nline key": "tab\there\r\nend",
                "empty": "",
                "日本": "東京",
            ]
            let (tenant, _) = try await registry.register(Fixture.tenant("acme", metadata: metadata))
            #expect(tenant.metadata == metadata)
            #expect(try await registry.find("acme")?.metadata == metadata)
            for (key, value) in metadata {
                let stored = try await Fixture.column("SELECT metadata ->> \(key) FROM tenantry.tenants WHERE id = 'acme'", on: master)
                #expect(stored == [value], "key \(key)")
            }
            let type = try await PG.scalar(String.self, "SELECT jsonb_typeof(metadata) FROM tenantry.tenants", on: master)
            #expect(type == "object")
        }
    }

    /// Ids are validated elsewhere; here an injection-looking id and name must be stored byte for byte.
    @Test(TestDatabase.required)
    func injectionLookingValuesAreStoredByteForByte() async throws {
        try await Fixture.with { registry, master in
            let id = "x'); DROP TABLE tenantry.tenants; --\"; DROP DATABASE y"
            let name = "Robert'); DROP TABLE students;-- $1 \\' ::jsonb"
            let (tenant, created) = try await registry.register(Fixture.tenant(id, name: name, database: "db\"; DROP DATABASE z; --"))
            #expect(created)
            #expect(tenant.id == id)
            let stored = try await Fixture.column("SELECT id || '|' || display_name || '|' || database_name FROM tenantry.tenants", on: master)
            #expect(stored == ["\(id)|\(name)|db\"; DROP DATABASE z; --"])
            let bytes = try await PG.scalar(String.self, "SELECT encode(convert_to(id, 'UTF8'), 'hex') FROM tenantry.tenants", on: master)
            #expect(bytes == id.utf8.map { String(format: "%02x", $0) }.joined())
            try await registry.transition(id, to: .failed, error: "'; DELETE FROM tenantry.tenant_events; --")
            #expect(try await registry.events(for: id).map(\.error) == [nil, "'; DELETE FROM tenantry.tenant_events; --"])
            #expect(try await registry.find(id)?.displayName == name)
            #expect(try await registry.list().map(\.id) == [id])
        }
    }
}
