import Testing
@testable import TenantryCore

@Suite("Config: servers section")
struct ConfigServersSectionTests {
    @Test func serversKeepFileOrderWithBudgetsAndPlacementFlags() throws {
        let project = try ConfigLoaderTests.load(yaml: """
            master:
              connections: 6
              new_tenants: false
            servers:
              eu-1:
                url: postgres://app@eu1.internal/app
                connections: 20
              us_east: postgres://app@us.internal/app
              drained:
                url: postgres://app@old.internal/app
                new_tenants: no
            """)
        let config = project.config
        #expect(config.master.connections == 6)
        #expect(!config.master.newTenants)
        #expect(config.servers == [
            Config.Server(name: "eu-1", url: "postgres://app@eu1.internal/app", connections: 20),
            Config.Server(name: "us_east", url: "postgres://app@us.internal/app"),
            Config.Server(name: "drained", url: "postgres://app@old.internal/app", newTenants: false),
        ])
    }

    @Test func anEnvironmentCanAddServers() throws {
        let project = try ConfigLoaderTests.load(yaml: """
            environments:
              prod:
                servers:
                  shard-2: postgres://app@shard2/app
            """, environment: ["TENANTRY_ENV": "prod"])
        #expect(project.config.servers.map(\.name) == ["shard-2"])
    }

    @Test(arguments: [
        ("servers:\n  Big: postgres://x\n", "tenantry.yml:2: server name 'Big' is not allowed"),
        ("servers:\n  master: postgres://x\n", "tenantry.yml:2: 'master' names the master's server already"),
        ("servers:\n  eu:\n    connections: 3\n", "tenantry.yml:2: servers.eu.url is missing or empty"),
        ("servers:\n  eu:\n    url: postgres://x\n    connections: 0\n", "tenantry.yml:4: servers.eu.connections must be a whole number above 0"),
        ("servers:\n  eu:\n    uri: postgres://x\n", "tenantry.yml:3: unknown key 'servers.eu.uri' (did you mean 'servers.eu.url'?)"),
        ("master:\n  connections: many\n", "tenantry.yml:2: master.connections must be a whole number above 0"),
    ])
    func badServersNameKeyAndLine(yaml: String, message: String) throws {
        let error = try #require(throws: TenantryError.self) { try ConfigLoaderTests.load(yaml: yaml) }
        #expect(error.message == message)
        #expect(error.exitCode == 2)
    }
}
