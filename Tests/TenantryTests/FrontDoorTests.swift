import Foundation
import Tenantry
import TenantryTestSupport
import Testing

/// The Swift way in: the README's snippet provisions a tenant with the project's settings.
@Suite("the library front door")
struct FrontDoorTests {
    @Test(TestDatabase.required)
    func theReadmeSnippetProvisionsATenantWithTheConfiguredSettings() async throws {
        let directory = try TemporaryDirectory("tenantry-front-door")
        defer { directory.remove() }
        let masterName = TestDatabase.uniqueName("tfront")
        let base = try #require(URLComponents(string: try TestDatabase.requireURL()))
        var components = base
        components.path = "/\(masterName)"
        let url = try #require(components.string)
        try directory.write("tenantry.yml", """
            layout: schema
            master:
              url: "\(url)"
            tenants:
              naming: "t_{slug}"
              extensions: [citext]
            """)
        try directory.write("migrations/tenant/001_notes.sql", "-- migrate:up\nCREATE TABLE notes (id int PRIMARY KEY, body citext);\n")
        let server = try PostgresConnector(settings: try ConnectionResolver.system(environment: [:]).resolve(try ConnectionURL.parse(try TestDatabase.requireURL(), source: "test")).settings,
                                           logger: .init(label: "test"))
        _ = try await DatabaseAdmin(server: server).ensureDatabase(try SQLIdentifier(masterName))
        do {
            try await provisionWithTheReadmeSnippet(directory)
        } catch {
            _ = try? await DatabaseAdmin(server: server).dropDatabase(try SQLIdentifier(masterName))
            throw error
        }
        _ = try await DatabaseAdmin(server: server).dropDatabase(try SQLIdentifier(masterName))
    }

    private func provisionWithTheReadmeSnippet(_ directory: TemporaryDirectory) async throws {
        // The README's snippet ("Using Tenantry from Swift"), word for word.
        let fleet = try await TenantryFleet.open(directory: directory.path)
        let tenant = try await fleet.provision("acme")

        #expect(tenant.status == .active && tenant.schemaName == "t_acme")
        let again = try await fleet.provision("acme")
        #expect(again.status == .active, "provisioning is idempotent")
        let registry = TenantRegistry(master: fleet.provisioner.master, logger: .init(label: "test"))
        #expect(try await registry.list().map(\.id) == ["acme"])
        let readme = try String(contentsOfFile: #filePath.components(separatedBy: "/Tests/")[0] + "/README.md", encoding: .utf8)
        #expect(readme.contains("let fleet = try await TenantryFleet.open(directory: \"/srv/app\")\nlet tenant = try await fleet.provision(\"acme\")"))
    }
}
