import Foundation
import PostgresNIO
import Testing
import TenantryCore
import TenantryTestSupport

@testable import TenantryPostgres

@Suite("TenantProvisioner: failures, retry and resume")
struct TenantProvisionerRecoveryTests {
    typealias Fixture = TenantProvisionerFixture

    @Test(TestDatabase.required, arguments: Config.Layout.allCases)
    func aFailingMigrationLeavesTheTenantFailedAndRetryMakesItActive(layout: Config.Layout) async throws {
        try await Fixture.with { fixture in
            let broken = fixture.provisioner(layout, migrations: Fixture.track(second: Fixture.brokenNotes))
            let error = await PG.tenantryError { _ = try await broken.create(try TenantSlug("acme")) }
            #expect(error?.message.contains("'acme'") == true, "the error names the tenant: \(error?.message ?? "")")
            #expect(error?.message.contains("division by zero") == true)
            #expect(error?.hint?.contains("tenantry tenant retry acme") == true)

            #expect(try await fixture.registry.find("acme")?.status == .failed)
            let events = try await fixture.events("acme")
            #expect(events.count == 2)
            #expect(events.last?.hasPrefix("PROVISIONING>FAILED:") == true)
            #expect(events.last?.contains("division by zero") == true)
            let step = try await fixture.strings("SELECT details ->> 'step' FROM tenantry.tenant_events WHERE to_status = 'FAILED'")
            #expect(step == ["migrate"])

            // No orphan: the database or schema made before the failure is the one the registry names.
            let name = fixture.name("acme")
            let database = layout == .database ? name : nil
            let schema = layout == .schema ? name : "public"
            let (server, registry) = layout == .database ? try await fixture.databases() : try await fixture.schemas()
            #expect(server == [name] && registry == [name])
            #expect(try await fixture.tables(in: schema, database: database) == ["accounts", "tenantry_migrations"], "migration 2 rolled back")

            let again = await PG.tenantryError { _ = try await broken.retry("acme") }
            #expect(again?.message.contains("division by zero") == true, "still broken: FAILED again")
            #expect(try await fixture.registry.find("acme")?.status == .failed)

            let fixed = fixture.provisioner(layout)
            let result = try await fixed.retry("acme")
            #expect(result.steps == [.resumed(from: .failed), .migrated(1), .active])
            #expect(result.tenant.status == .active)
            #expect(try await fixture.tables(in: schema, database: database) == ["accounts", "notes", "tenantry_migrations"])
            #expect(try await fixture.history(in: schema, database: database) == ["1", "2"])
            #expect(try await fixture.events("acme").map { String($0.prefix { $0 != ":" }) } ==
                    ["->PROVISIONING", "PROVISIONING>FAILED", "FAILED>PROVISIONING", "PROVISIONING>FAILED", "FAILED>PROVISIONING", "PROVISIONING>ACTIVE"])

            let notFailed = await PG.tenantryError { _ = try await fixed.retry("acme") }
            #expect(notFailed?.kind == .usage && notFailed?.message.contains("ACTIVE, not FAILED") == true)
            let unknown = await PG.tenantryError { _ = try await fixed.retry("nobody") }
            #expect(unknown?.kind == .usage && unknown?.message.contains("'nobody'") == true)
        }
    }

    @Test(TestDatabase.required)
    func aMissingExtensionFailsNamingThePackageToInstall() async throws {
        try await Fixture.with { fixture in
            let provisioner = fixture.provisioner(.database, extensions: ["citext", "this_extension_does_not_exist"])
            let error = await PG.tenantryError { _ = try await provisioner.create(try TenantSlug("acme")) }
            #expect(error?.message.contains("'acme'") == true)
            #expect(error?.message.contains("install the Debian package postgresql-15-this-extension-does-not-exist") == true,
                    "\(error?.description ?? "")")
            #expect(try await fixture.registry.find("acme")?.status == .failed)
            let recorded = try await fixture.strings("SELECT error FROM tenantry.tenant_events WHERE to_status = 'FAILED'")
            #expect(recorded.count == 1)
            #expect(recorded.first?.contains("postgresql-15-this-extension-does-not-exist") == true)
            #expect(try await fixture.strings("SELECT details ->> 'step' FROM tenantry.tenant_events WHERE to_status = 'FAILED'") == ["extensions"])
            let (server, registry) = try await fixture.databases()
            #expect(server == registry && server == [fixture.name("acme")])

            #expect(ProvisioningFailure.package(for: "uuid-ossp", major: 15) == "postgresql-contrib")
            #expect(ProvisioningFailure.package(for: "hstore", major: 15) == "postgresql-contrib")
            #expect(ProvisioningFailure.package(for: "vector", major: 16) == "postgresql-16-pgvector")
        }
    }

    @Test(TestDatabase.required)
    func createResumesAProvisioningKilledAfterTheDatabaseWasCreated() async throws {
        try await Fixture.with { fixture in
            // What a process killed right after CREATE DATABASE leaves: a PROVISIONING row and an empty database.
            let name = fixture.name("acme")
            try await fixture.registry.prepare()
            _ = try await fixture.registry.register(Tenant(id: "acme", displayName: "Acme", status: .provisioning, layout: .database,
                                                           databaseName: name, schemaName: nil))
            try await DatabaseAdmin(server: fixture.master).ensureDatabase(try SQLIdentifier(name))

            let result = try await fixture.provisioner(.database).create(try TenantSlug("acme"))
            #expect(result.steps == [.resumed(from: .provisioning), .migrated(2), .active])
            #expect(result.tenant.status == .active && result.tenant.displayName == "Acme")
            #expect(try await fixture.tables(in: "public", database: name) == ["accounts", "notes", "tenantry_migrations"])
            #expect(try await fixture.events("acme") == ["->PROVISIONING:", "PROVISIONING>ACTIVE:"])
            let (server, registry) = try await fixture.databases()
            #expect(server == [name] && registry == [name], "no orphan, no second database")
        }
    }

    @Test(TestDatabase.required)
    func createResumesASchemaTenantKilledBeforeItsSchemaExisted() async throws {
        try await Fixture.with { fixture in
            let name = fixture.name("acme")
            try await fixture.registry.prepare()
            _ = try await fixture.registry.register(Tenant(id: "acme", displayName: "Acme", status: .provisioning, layout: .schema,
                                                           databaseName: fixture.master.settings.database, schemaName: name))
            let result = try await fixture.provisioner(.schema).create(try TenantSlug("acme"))
            #expect(result.steps == [.resumed(from: .provisioning), .createdSchema(name), .migrated(2), .active])
            #expect(try await fixture.history(in: name) == ["1", "2"])
            let (server, registry) = try await fixture.schemas()
            #expect(server == [name] && registry == [name])
        }
    }
}
