import Testing
@testable import TenantryCore

@Suite("Roles: policy per tenant")
struct RolePolicyTests {
    static let policy = Config.Roles(
        owner: "{name}_owner",
        readWrite: .init(name: "{name}_rw", password: .value("shared-rw-pw")),
        readOnly: .init(name: "r_{slug}_ro", password: .variable("RO_PASSWORD_{SLUG}")))

    static func tenant(_ id: String, database: String, schema: String? = nil) -> Tenant {
        Tenant(id: id, displayName: id, status: .active, layout: schema == nil ? .database : .schema, databaseName: database, schemaName: schema)
    }

    @Test func namesComeFromThePatternsAndPasswordsFromValueOrVariable() throws {
        let policy = RolePolicy(roles: Self.policy, environment: ["RO_PASSWORD_NORTH_WIND": "ro-pw-nw"])
        let roles = try policy.resolve(for: Self.tenant("north-wind", database: "t_north_wind"))
        #expect(roles.owner?.name == "t_north_wind_owner")
        #expect(roles.readWrite == TenantRoles.Login(name: try SQLIdentifier("t_north_wind_rw"), access: .readWrite, password: "shared-rw-pw"))
        #expect(roles.readOnly == TenantRoles.Login(name: try SQLIdentifier("r_north_wind_ro"), access: .readOnly, password: "ro-pw-nw"))
        #expect(roles.names == ["t_north_wind_owner", "t_north_wind_rw", "r_north_wind_ro"])
        #expect(Redactor.shared.redact("ro-pw-nw") == Redactor.mask)
        #expect("\(roles.readOnly!)" == "read-only role r_north_wind_ro")
        #expect(!String(reflecting: roles).contains("ro-pw-nw"))
    }

    @Test func schemaLayoutNamesFollowTheSchema() throws {
        let policy = RolePolicy(roles: Self.policy, environment: ["RO_PASSWORD_ACME": "ro-pw-acme"])
        let roles = try policy.resolve(for: Self.tenant("acme", database: "app", schema: "t_acme"))
        #expect(roles.readWrite?.name.name == "t_acme_rw")
    }

    @Test func aMissingPasswordVariableNamesTheVariableAndTheTenant() throws {
        let policy = RolePolicy(roles: Self.policy, environment: ["RO_PASSWORD_ACME": ""])
        let error = try #require(throws: TenantryError.self) { try policy.resolve(for: Self.tenant("acme", database: "t_acme")) }
        #expect(error.kind == .setup)
        #expect(error.message == "tenant acme: the password of read-only role r_acme_ro comes from RO_PASSWORD_ACME, which is not set")
    }

    @Test func anEmptyInterpolatedPasswordIsRefusedForTheTenant() throws {
        let roles = Config.Roles(readWrite: .init(name: "{name}_rw", password: .value(""), line: 4))
        let error = try #require(throws: TenantryError.self) {
            try RolePolicy(roles: roles, environment: [:]).resolve(for: Self.tenant("acme", database: "t_acme"))
        }
        #expect(error.message == "tenant acme: roles.read_write.password (tenantry.yml line 4) is empty")
    }

    @Test func aNameOver63BytesNamesTheTenantAndThePattern() throws {
        let long = String(repeating: "d", count: 60)
        let error = try #require(throws: TenantryError.self) {
            try RolePolicy(roles: Self.policy, environment: ["RO_PASSWORD_ACME": "x12"]).resolve(for: Self.tenant("acme", database: long))
        }
        #expect(error.message.hasPrefix("tenant acme: roles.owner '{name}_owner' gives the role name '\(long)_owner'"))
        #expect(error.message.contains("PostgreSQL allows at most 63"))
    }

    @Test func patternsRenderEachPlaceholder() throws {
        let pattern = try RolePattern("PW_{SLUG}_{slug}_{name}", kind: .variableName)
        #expect(pattern.render(slug: "a-b2", name: "t_x") == "PW_A_B2_a_b2_t_x")
        #expect(try RolePattern("app_reader", kind: .roleName).render(slug: "a-b2", name: "t_x") == "app_reader")
    }
}
