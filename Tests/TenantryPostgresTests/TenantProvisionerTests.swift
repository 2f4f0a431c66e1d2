import Foundation
import PostgresNIO
import Testing
import TenantryCore
import TenantryTestSupport

@testable import TenantryPostgres

@Suite("TenantProvisioner: create in both layouts")
struct TenantProvisionerTests {
    typealias Fixture = TenantProvisionerFixture

    /// The steps `onStep` saw, for comparing with the result's.
    final class StepLog: @unchecked Sendable {
        private let lock = NSLock()
        private var steps: [TenantProvisioner.Step] = []
        func append(_ step: TenantProvisioner.Step) { lock.withLock { steps.append(step) } }
        var all: [TenantProvisioner.Step] { lock.withLock { steps } }
    }

    @Test(TestDatabase.required)
    func databaseLayoutCreatesTheTenantDatabaseWithItsTrackAndASecondCreateIsANoOp() async throws {
        try await Fixture.with { fixture in
            let provisioner = fixture.provisioner(.database, extensions: ["pgcrypto"])
            let log = StepLog()
            let result = try await provisioner.create(try TenantSlug("acme"), displayName: "Acme Inc.", tier: "gold",
                                                      metadata: ["plan": "pro"], onStep: log.append)
            let database = fixture.name("acme")
            #expect(result.steps == [.registered, .createdDatabase(database), .ensuredExtension("pgcrypto"), .migrated(2), .active])
            #expect(log.all == result.steps)
            #expect(!result.alreadyActive)
            #expect(result.tenant.status == .active)
            #expect(result.tenant.databaseName == database && result.tenant.schemaName == nil && result.tenant.layout == .database)
            #expect(result.tenant.displayName == "Acme Inc." && result.tenant.tier == "gold" && result.tenant.metadata == ["plan": "pro"])

            #expect(try await fixture.tables(in: "public", database: database) == ["accounts", "notes", "tenantry_migrations"])
            #expect(try await fixture.history(in: "public", database: database) == ["1", "2"])
            #expect(try await fixture.strings("SELECT extname::text FROM pg_extension WHERE extname = 'pgcrypto'", database: database) == ["pgcrypto"])
            #expect(try await fixture.tables(in: "public").isEmpty, "nothing of the tenant track lands in the master")
            let events = ["->PROVISIONING:", "PROVISIONING>ACTIVE:"]
            #expect(try await fixture.events("acme") == events)

            let again = try await provisioner.create(try TenantSlug("acme"))
            #expect(again.alreadyActive && again.steps.isEmpty && again.tenant.status == .active)
            #expect(again.tenant.displayName == "Acme Inc.", "the stored row is returned")
            #expect(try await fixture.events("acme") == events, "a no-op writes no event")

            _ = try await provisioner.create(try TenantSlug("north-wind"))
            let (server, registry) = try await fixture.databases()
            #expect(server == registry)
            #expect(server == [database, fixture.name("north-wind")])
        }
    }

    @Test(TestDatabase.required)
    func schemaLayoutCreatesTheTenantSchemaWithItsOwnHistory() async throws {
        try await Fixture.with { fixture in
            let provisioner = fixture.provisioner(.schema, extensions: ["citext"])
            let result = try await provisioner.create(try TenantSlug("acme"))
            let schema = fixture.name("acme")
            #expect(result.steps == [.registered, .createdSchema(schema), .ensuredExtension("citext"), .migrated(2), .active])
            #expect(result.tenant.layout == .schema && result.tenant.schemaName == schema)
            #expect(result.tenant.databaseName == fixture.master.settings.database, "schema tenants live in the master database")

            #expect(try await fixture.tables(in: schema) == ["accounts", "notes", "tenantry_migrations"])
            #expect(try await fixture.history(in: schema) == ["1", "2"])
            #expect(try await fixture.tables(in: "public").isEmpty, "search_path kept the tables out of public")

            let again = try await provisioner.create(try TenantSlug("acme"))
            #expect(again.alreadyActive && again.steps.isEmpty)
            #expect(try await fixture.events("acme") == ["->PROVISIONING:", "PROVISIONING>ACTIVE:"])

            let other = try await provisioner.create(try TenantSlug("globex"))
            #expect(other.steps.contains(.migrated(2)))
            let (server, registry) = try await fixture.schemas()
            #expect(server == registry)
            #expect(server == [schema, fixture.name("globex")])
            #expect(try await fixture.databases().server.isEmpty, "the schema layout creates no database")
        }
    }

    @Test(TestDatabase.required)
    func suspendedTenantsAreRefusedAndRefusedNamesLeaveNothing() async throws {
        try await Fixture.with { fixture in
            let provisioner = fixture.provisioner(.database)
            _ = try await provisioner.create(try TenantSlug("acme"))
            try await fixture.registry.transition("acme", to: .suspended)
            let error = await PG.tenantryError { _ = try await provisioner.create(try TenantSlug("acme")) }
            #expect(error?.kind == .usage && error?.message.contains("SUSPENDED") == true)
            #expect(try await fixture.registry.find("acme")?.status == .suspended)

            // A slug too long for the pattern is refused before anything is written.
            let longPattern = TenantProvisioner(
                master: fixture.master, layout: .database,
                naming: try TenantNaming(pattern: fixture.prefix + String(repeating: "x", count: 40) + "_{slug}"),
                extensions: [], tenantMigrations: Fixture.track(), timeouts: MigrationTimeouts(), logger: PG.logger)
            let long = try TenantSlug(String(repeating: "a", count: 30))
            let tooLong = await PG.tenantryError { _ = try await longPattern.create(long) }
            #expect(tooLong?.kind == .usage)
            #expect(try await fixture.registry.find(long.value) == nil)
            let (server, registry) = try await fixture.databases()
            #expect(server == registry && server == [fixture.name("acme")])
        }
    }
}
