import Testing
@testable import TenantryCore

@Suite("Roles: plan")
struct RolePlanTests {
    static let password = "Pw-for-plan-tests"

    static func roles(owner: Bool = true) throws -> TenantRoles {
        TenantRoles(tenantID: "acme", owner: owner ? try SQLIdentifier("t_acme_owner") : nil,
                    readWrite: .init(name: try SQLIdentifier("t_acme_rw"), access: .readWrite, password: password),
                    readOnly: .init(name: try SQLIdentifier("t_acme_ro"), access: .readOnly, password: password))
    }

    /// A fresh tenant database: default ACLs, no roles yet, one table and one sequence in public.
    static func fresh(readable: Bool = true) throws -> RoleState {
        let database = RoleState.Place(name: try SQLIdentifier("t_acme"), owner: "postgres",
                                       grants: [.init("postgres", "CONNECT"), .init("postgres", "CREATE"), .init("postgres", "TEMPORARY"),
                                                .init(RoleState.public, "CONNECT"), .init(RoleState.public, "TEMPORARY")])
        let schema = RoleState.Schema(place: .init(name: try SQLIdentifier("public"), owner: "pg_database_owner",
                                                   grants: [.init(RoleState.public, "USAGE")]),
                                      hasTables: true, hasSequences: true)
        return RoleState(currentUser: try SQLIdentifier("postgres"), currentUserIsSuperuser: true, memberOfOwner: true,
                         passwordsReadable: readable, roles: [:], database: database, schemas: [schema])
    }

    /// The state after `fresh()`'s plan ran.
    static func applied(verifier: String) throws -> RoleState {
        var state = try fresh()
        state.roles = ["t_acme_owner": .init(canLogin: false, isSuperuser: false),
                       "t_acme_rw": .init(canLogin: true, isSuperuser: false, storedPassword: verifier),
                       "t_acme_ro": .init(canLogin: true, isSuperuser: false, storedPassword: verifier)]
        state.database.owner = "t_acme_owner"
        state.database.grants = [.init("t_acme_owner", "CONNECT"), .init("t_acme_rw", "CONNECT"), .init("t_acme_ro", "CONNECT")]
        state.schemas[0].place.grants.formUnion([.init("t_acme_rw", "USAGE"), .init("t_acme_ro", "USAGE")])
        var defaults: Set<RoleState.DefaultGrant> = []
        for creator in ["postgres", "t_acme_owner"] {
            for privilege in ["SELECT", "INSERT", "UPDATE", "DELETE"] { defaults.insert(.init(creator: creator, objectType: "r", grant: .init("t_acme_rw", privilege))) }
            for privilege in ["USAGE", "SELECT"] { defaults.insert(.init(creator: creator, objectType: "S", grant: .init("t_acme_rw", privilege))) }
            defaults.insert(.init(creator: creator, objectType: "r", grant: .init("t_acme_ro", "SELECT")))
        }
        state.schemas[0].defaults = defaults
        return state
    }

    @Test func aFreshTenantGetsEveryStatementInOrder() throws {
        let plan = try RolePlan(roles: try Self.roles(), layout: .database, state: try Self.fresh())
        #expect(plan.changes.map(\.shownSQL) == [
            #"CREATE ROLE "t_acme_owner" NOLOGIN"#,
            #"CREATE ROLE "t_acme_rw" LOGIN PASSWORD 'SCRAM-SHA-256$…'"#,
            #"CREATE ROLE "t_acme_ro" LOGIN PASSWORD 'SCRAM-SHA-256$…'"#,
            #"ALTER DATABASE "t_acme" OWNER TO "t_acme_owner""#,
            #"REVOKE CONNECT, TEMPORARY ON DATABASE "t_acme" FROM PUBLIC"#,
            #"GRANT CONNECT ON DATABASE "t_acme" TO "t_acme_rw""#,
            #"GRANT CONNECT ON DATABASE "t_acme" TO "t_acme_ro""#,
            #"GRANT USAGE ON SCHEMA "public" TO "t_acme_rw""#,
            #"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "public" TO "t_acme_rw""#,
            #"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "public" TO "t_acme_rw""#,
            #"ALTER DEFAULT PRIVILEGES FOR ROLE "postgres" IN SCHEMA "public" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "t_acme_rw""#,
            #"ALTER DEFAULT PRIVILEGES FOR ROLE "postgres" IN SCHEMA "public" GRANT USAGE, SELECT ON SEQUENCES TO "t_acme_rw""#,
            #"ALTER DEFAULT PRIVILEGES FOR ROLE "t_acme_owner" IN SCHEMA "public" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "t_acme_rw""#,
            #"ALTER DEFAULT PRIVILEGES FOR ROLE "t_acme_owner" IN SCHEMA "public" GRANT USAGE, SELECT ON SEQUENCES TO "t_acme_rw""#,
            #"GRANT USAGE ON SCHEMA "public" TO "t_acme_ro""#,
            #"GRANT SELECT ON ALL TABLES IN SCHEMA "public" TO "t_acme_ro""#,
            #"ALTER DEFAULT PRIVILEGES FOR ROLE "postgres" IN SCHEMA "public" GRANT SELECT ON TABLES TO "t_acme_ro""#,
            #"ALTER DEFAULT PRIVILEGES FOR ROLE "t_acme_owner" IN SCHEMA "public" GRANT SELECT ON TABLES TO "t_acme_ro""#,
        ])
        for change in plan.changes {
            #expect(!change.sql.contains(Self.password))
            #expect(!change.shownSQL.contains("SCRAM-SHA-256$4096"))
        }
        let created = try #require(plan.changes.first { $0.summary == "created read-write role t_acme_rw" })
        let literal = try #require(created.sql.split(separator: "'").dropFirst().first)
        #expect(ScramVerifier(parsing: String(literal))?.matches(password: Self.password) == true)
    }

    @Test func aTenantInLineIsUnchanged() throws {
        let verifier = ScramVerifier.generate(password: Self.password).text
        let plan = try RolePlan(roles: try Self.roles(), layout: .database, state: try Self.applied(verifier: verifier))
        #expect(plan.changes.map(\.summary) == [])
        #expect(plan.passwordsCompared)
    }

    @Test func aChangedPasswordOrLostGrantIsRepaired() throws {
        var state = try Self.applied(verifier: ScramVerifier.generate(password: "old-password").text)
        state.schemas[0].tablesLacking = [.init("t_acme_ro", "SELECT")]
        state.schemas[0].place.grants.insert(.init("t_acme_rw", "CREATE"))
        let plan = try RolePlan(roles: try Self.roles(), layout: .database, state: state)
        #expect(plan.changes.map(\.summary) == [
            "changed the password of t_acme_rw", "changed the password of t_acme_ro",
            "revoked CREATE on schema public from t_acme_rw", "granted SELECT on all tables in schema public to t_acme_ro",
        ])
    }

    @Test func unreadablePasswordsAreSetEveryTimeAndSaidSo() throws {
        var state = try Self.applied(verifier: "")
        state.passwordsReadable = false
        let plan = try RolePlan(roles: try Self.roles(), layout: .database, state: state)
        #expect(plan.changes.map(\.summary) == [
            "set the password of t_acme_rw (not compared: reading pg_authid needs a superuser)",
            "set the password of t_acme_ro (not compared: reading pg_authid needs a superuser)",
        ])
        #expect(!plan.passwordsCompared)
    }

    @Test func aSuperuserRoleIsRefused() throws {
        var state = try Self.fresh()
        state.roles["t_acme_rw"] = .init(canLogin: true, isSuperuser: true)
        let error = try #require(throws: TenantryError.self) { try RolePlan(roles: try Self.roles(), layout: .database, state: state) }
        #expect(error.message == "tenant acme: read-write role t_acme_rw is a superuser; Tenantry does not manage superusers")
    }

    @Test func schemaLayoutOwnsTheSchemaAndLeavesTheSharedDatabaseOpen() throws {
        var state = try Self.fresh()
        state.database.name = try SQLIdentifier("app")
        state.schemas = [RoleState.Schema(place: .init(name: try SQLIdentifier("t_acme"), owner: "postgres", grants: [.init("postgres", "USAGE"), .init("postgres", "CREATE")]))]
        let plan = try RolePlan(roles: try Self.roles(), layout: .schema, state: state)
        let statements = plan.changes.map(\.shownSQL)
        #expect(statements.contains(#"ALTER SCHEMA "t_acme" OWNER TO "t_acme_owner""#))
        #expect(statements.contains(#"GRANT CONNECT ON DATABASE "app" TO "t_acme_rw""#))
        #expect(!statements.contains { $0.contains("FROM PUBLIC") || $0.contains("ALTER DATABASE") || $0.contains("ON ALL TABLES") })
    }

    @Test func aMigratingRoleThatIsNeitherSuperuserNorOwnerKeepsItsConnect() throws {
        var state = try Self.fresh()
        state.currentUser = try SQLIdentifier("deployer")
        state.currentUserIsSuperuser = false
        state.memberOfOwner = false
        let plan = try RolePlan(roles: try Self.roles(), layout: .database, state: state)
        let statements = plan.changes.map(\.shownSQL)
        #expect(statements.contains(#"GRANT CONNECT ON DATABASE "t_acme" TO "deployer""#))
        #expect(!statements.contains { $0.contains(#"FOR ROLE "t_acme_owner""#) })
    }
}
