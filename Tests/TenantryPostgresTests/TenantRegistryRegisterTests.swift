import Foundation
import PostgresNIO
import Testing
import TenantryCore
import TenantryTestSupport

@testable import TenantryPostgres

@Suite("TenantRegistry: register")
struct TenantRegistryRegisterTests {
    typealias Fixture = TenantRegistryFixture

    @Test(TestDatabase.required)
    func registersANewTenantAsProvisioningWithAnEvent() async throws {
        try await Fixture.with { registry, master in
            let (tenant, created) = try await registry.register(Fixture.tenant("acme", name: "Acme Corp"))
            #expect(created)
            #expect(tenant.status == .provisioning, "the given status is ignored")
            #expect(tenant.displayName == "Acme Corp")
            #expect(tenant.deletedAt == nil)
            #expect(tenant.createdAt == tenant.updatedAt)
            let row = try await Fixture.column("""
                SELECT concat_ws('|', id, display_name, status, layout, database_name, coalesce(schema_name, '-'),
                                 coalesce(server, '-'), engine, tier, metadata::text)
                FROM tenantry.tenants
                """, on: master)
            #expect(row == ["acme|Acme Corp|PROVISIONING|database|t_acme|-|-|postgresql|gold|{}"])
            #expect(try await Fixture.eventRows("acme", on: master) == ["->PROVISIONING:"])
            #expect(try await registry.find("acme") == tenant)
        }
    }

    @Test(TestDatabase.required)
    func registeringAnExistingTenantReturnsItUnchanged() async throws {
        try await Fixture.with { registry, master in
            let (first, _) = try await registry.register(Fixture.tenant("acme", name: "Acme"))
            try await registry.transition("acme", to: .active)
            let (again, created) = try await registry.register(Fixture.tenant("acme", name: "Other name", database: "elsewhere"))
            #expect(!created)
            #expect(again.displayName == "Acme")
            #expect(again.databaseName == first.databaseName)
            #expect(again.status == .active)
            #expect(try await Fixture.eventRows("acme", on: master) == ["->PROVISIONING:", "PROVISIONING>ACTIVE:"])
            #expect(try await PG.scalar(Int.self, "SELECT count(*) FROM tenantry.tenants", on: master) == 1)
        }
    }

    /// A DELETED tenant's row is reused: fields replaced, timestamps restarted, old events kept.
    @Test(TestDatabase.required)
    func aDeletedTenantCanBeRegisteredAgain() async throws {
        try await Fixture.with { registry, master in
            let (original, _) = try await registry.register(Fixture.tenant("acme", name: "Old"))
            try await registry.transition("acme", to: .dropping)
            let deleted = try await registry.transition("acme", to: .deleted)
            #expect(deleted.deletedAt != nil)

            let (again, created) = try await registry.register(Fixture.tenant("acme", name: "New", database: "t_acme_2"))
            #expect(created)
            #expect(again.status == .provisioning)
            #expect(again.displayName == "New")
            #expect(again.databaseName == "t_acme_2")
            #expect(again.deletedAt == nil)
            #expect(again.createdAt > original.createdAt)
            #expect(try await Fixture.eventRows("acme", on: master)
                    == ["->PROVISIONING:", "PROVISIONING>DROPPING:", "DROPPING>DELETED:", "DELETED>PROVISIONING:"])
            #expect(try await registry.events(for: "acme").last?.details == ["reregistered": "true"])
            #expect(try await PG.scalar(Int.self, "SELECT count(*) FROM tenantry.tenants", on: master) == 1)
        }
    }

    @Test(TestDatabase.required)
    func twoTenantsCannotShareADatabaseOrSchema() async throws {
        try await Fixture.with { registry, master in
            _ = try await registry.register(Fixture.tenant("alpha", database: "shared", schema: "s1"))
            _ = try await registry.register(Fixture.tenant("beta", database: "shared", schema: "s2"))
            let error = await PG.tenantryError {
                _ = try await registry.register(Fixture.tenant("gamma", database: "shared", schema: "s1"))
            }
            #expect(error?.kind == .usage)
            #expect(error?.message.contains("'gamma'") == true, "\(String(describing: error))")
            #expect(error?.message.contains("'alpha'") == true, "\(String(describing: error))")
            #expect(error?.message.contains("'s1'") == true)

            _ = try await registry.register(Fixture.tenant("delta", database: "t_db"))
            let database = await PG.tenantryError { _ = try await registry.register(Fixture.tenant("epsilon", database: "t_db")) }
            #expect(database?.message.contains("'epsilon'") == true && database?.message.contains("'delta'") == true,
                    "\(String(describing: database))")

            let ids = try await Fixture.column("SELECT DISTINCT tenant_id FROM tenantry.tenant_events ORDER BY 1", on: master)
            #expect(ids == ["alpha", "beta", "delta"], "a refused tenant leaves no row and no event")
            #expect(try await registry.find("gamma") == nil)

            // A DELETED tenant frees its name.
            try await registry.transition("alpha", to: .deleted)
            #expect(try await registry.register(Fixture.tenant("gamma", database: "shared", schema: "s1")).created)
            // …and cannot take it back while gamma has it.
            let back = await PG.tenantryError { try await registry.transition("alpha", to: .active) }
            #expect(back?.message.contains("'alpha'") == true && back?.message.contains("'gamma'") == true, "\(String(describing: back))")
            #expect(try await registry.find("alpha")?.status == .deleted)
        }
    }

    @Test(TestDatabase.required)
    func concurrentRegistrationsOfOneIdCreateItOnce() async throws {
        try await Fixture.with { registry, master in
            let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<8 {
                    group.addTask { try await registry.register(Fixture.tenant("acme", name: "Acme \(index)")).created }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 1)
            #expect(try await Fixture.eventRows("acme", on: master) == ["->PROVISIONING:"])
        }
    }

    @Test(TestDatabase.required)
    func aSchemaNameMustMatchTheLayout() async throws {
        try await Fixture.with { registry, master in
            var tenant = Fixture.tenant("acme", database: "shared", schema: "acme")
            tenant.schemaName = nil
            let missing = await PG.tenantryError { _ = try await registry.register(tenant) }
            #expect(missing?.kind == .usage)
            #expect(missing?.message.contains("layout schema") == true)
            let count = try await PG.scalar(Int.self, "SELECT count(*) FROM tenantry.tenants", on: master)
            #expect(count == 0)
        }
    }
}
