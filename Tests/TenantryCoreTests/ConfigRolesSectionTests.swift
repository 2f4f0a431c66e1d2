import Testing
@testable import TenantryCore

@Suite("Config: roles section")
struct ConfigRolesSectionTests {
    @Test func ownerReadWriteAndReadOnlyWithBothPasswordSources() throws {
        let project = try ConfigLoaderTests.load(yaml: """
            roles:
              owner: "{name}_owner"
              read_write:
                name: "{name}_rw"
                password: ${RW_PASSWORD:?set it from the secret store}
              read_only:
                name: "{slug}_ro"
                password_env: "RO_PASSWORD_{SLUG}"
            """, environment: ["RW_PASSWORD": "rw-Secret-1"])
        let roles = try #require(project.config.roles)
        #expect(roles.owner == "{name}_owner")
        #expect(roles.readWrite?.name == "{name}_rw")
        #expect(roles.readWrite?.password == .value("rw-Secret-1"))
        #expect(roles.readOnly?.name == "{slug}_ro")
        #expect(roles.readOnly?.password == .variable("RO_PASSWORD_{SLUG}"))
        #expect(Redactor.shared.redact("x rw-Secret-1 y") == "x \(Redactor.mask) y")
    }

    @Test func noRolesSectionMeansNoPolicy() throws {
        #expect(try ConfigLoaderTests.load(yaml: "layout: database\n").config.roles == nil)
    }

    @Test func anEnvironmentCanSetRoles() throws {
        let project = try ConfigLoaderTests.load(yaml: """
            environments:
              prod:
                roles:
                  owner: app_owner
            """, environment: ["TENANTRY_ENV": "prod"])
        #expect(project.config.roles?.owner == "app_owner")
    }

    @Test func anUnsetRequiredPasswordVariableNamesIt() throws {
        let error = try ConfigLoaderTests.error(yaml: """
            roles:
              read_write:
                name: "{name}_rw"
                password: ${RW_PASSWORD:?set it from the secret store}
            """)
        #expect(error.message == "tenantry.yml:4: roles.read_write.password needs RW_PASSWORD: set it from the secret store")
    }

    @Test(arguments: [
        ("roles:\n  reader: x\n", "tenantry.yml:2: unknown key 'roles.reader'"),
        ("roles:\n", "tenantry.yml:1: roles: names no role"),
        ("roles:\n  read_only:\n    name: x_ro\n", "tenantry.yml:2: roles.read_only has no password"),
        ("roles:\n  read_only:\n    password: pw1\n", "tenantry.yml:2: roles.read_only.name is missing"),
        ("roles:\n  read_only:\n    name: x\n    password: pw1\n    password_env: PW\n", "tenantry.yml:5: roles.read_only has both password and password_env"),
        ("roles:\n  read_only:\n    name: x\n    passwd: pw1\n", "tenantry.yml:4: unknown key 'roles.read_only.passwd' (did you mean 'roles.read_only.password'?)"),
        ("roles:\n  owner: \"{tenant}_o\"\n", "tenantry.yml:2: roles.owner: the pattern '{tenant}_o' uses the unknown placeholder {tenant}; the placeholders are {slug} and {name}"),
        ("roles:\n  owner: \"{SLUG}_o\"\n", "tenantry.yml:2: roles.owner: the pattern '{SLUG}_o' uses the unknown placeholder {SLUG}; the placeholders are {slug} and {name}"),
        ("roles:\n  owner: \"Owner\"\n", "tenantry.yml:2: roles.owner: the pattern 'Owner' contains 'O'"),
        ("roles:\n  owner: pg_owner\n", "tenantry.yml:2: roles.owner: the pattern 'pg_owner' starts with 'pg_', which PostgreSQL reserves for its own roles"),
        ("roles:\n  read_only:\n    name: x\n    password_env: \"PW-{slug}\"\n", "tenantry.yml:4: roles.read_only.password_env: the pattern 'PW-{slug}' contains '-'"),
        ("roles:\n  owner: \"{name}_x\"\n  read_only:\n    name: \"{name}_x\"\n    password: pw1\n",
         "tenantry.yml:4: roles.read_only.name and roles.owner are both '{name}_x'; each role needs its own name"),
    ])
    func badRolesNameTheKeyAndLine(yaml: String, message: String) throws {
        let error = try ConfigLoaderTests.error(yaml: yaml)
        #expect(error.message.hasPrefix(message), "\(error.message)")
    }
}
