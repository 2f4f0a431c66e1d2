/// The statements that bring one tenant's roles and privileges in line with the policy, from the catalog state
/// read first (pure: state in, statements out). An empty plan means the tenant is unchanged.
///
/// Database layout: the owner role owns the tenant's database; PUBLIC loses CONNECT and TEMPORARY on it; the
/// login roles get CONNECT. Schema layout: the owner role owns the tenant's schema; the login roles get CONNECT
/// on the shared database, and nothing on any other tenant's schema. In the tenant's schemas the read-write role
/// gets USAGE and SELECT, INSERT, UPDATE, DELETE on tables, USAGE and SELECT on sequences; the read-only role
/// USAGE and SELECT on tables; neither gets CREATE. Default privileges give the same on tables that the
/// migrating role (and the owner role, when the migrating role may act for it) creates later.
public struct RolePlan: Sendable {
    public let changes: [RoleChange]
    /// Whether passwords were compared with the stored verifiers (false when pg_authid is not readable).
    public let passwordsCompared: Bool

    static let readWriteTables = ["SELECT", "INSERT", "UPDATE", "DELETE"]
    static let readWriteSequences = ["USAGE", "SELECT"]
    static let readOnlyTables = ["SELECT"]

    public init(roles: TenantRoles, layout: Config.Layout, state: RoleState) throws(TenantryError) {
        var changes = try Self.roleChanges(roles, state: state)
        changes += Self.locationChanges(roles, layout: layout, state: state)
        for schema in state.schemas {
            changes += Self.schemaChanges(roles, schema: schema, state: state)
        }
        self.changes = changes
        self.passwordsCompared = state.passwordsReadable
    }

    private static func roleChanges(_ roles: TenantRoles, state: RoleState) throws(TenantryError) -> [RoleChange] {
        var changes: [RoleChange] = []
        if let owner = roles.owner, state.roles[owner.name] == nil {
            changes.append(RoleChange("created owner role \(owner.name) (NOLOGIN)", sql: "CREATE ROLE \(owner.quoted) NOLOGIN"))
        }
        for login in roles.logins {
            let role = login.name.quoted
            guard let existing = state.roles[login.name.name] else {
                changes.append(passwordChange("created \(login)", sql: "CREATE ROLE \(role) LOGIN PASSWORD", login: login))
                continue
            }
            guard !existing.isSuperuser else {
                throw .setup("tenant \(roles.tenantID): \(login) is a superuser; Tenantry does not manage superusers",
                             hint: "give the role another name in roles: of tenantry.yml")
            }
            if !existing.canLogin {
                changes.append(RoleChange("allowed \(login.name.name) to log in", sql: "ALTER ROLE \(role) LOGIN"))
            }
            if !state.passwordsReadable {
                changes.append(passwordChange("set the password of \(login.name.name) (not compared: reading pg_authid needs a superuser)",
                                              sql: "ALTER ROLE \(role) PASSWORD", login: login))
            } else if !login.isVerified(by: existing.storedPassword) {
                changes.append(passwordChange("changed the password of \(login.name.name)", sql: "ALTER ROLE \(role) PASSWORD", login: login))
            }
        }
        return changes
    }

    /// `sql` followed by a fresh verifier of the login's password.
    private static func passwordChange(_ summary: String, sql: String, login: TenantRoles.Login) -> RoleChange {
        let verifier = login.makeVerifier()
        // Not the password, but still worth keeping out of traces and output.
        Redactor.shared.register(verifier.text)
        return RoleChange(summary, sql: "\(sql) \(verifier.literal.quoted)", shownSQL: "\(sql) \(ScramVerifier.shown)")
    }

    private static func locationChanges(_ roles: TenantRoles, layout: Config.Layout, state: RoleState) -> [RoleChange] {
        var changes: [RoleChange] = []
        let database = state.database
        let quotedDatabase = database.name.quoted
        var owner = database.owner
        if layout == .database {
            if let wanted = roles.owner, wanted.name != database.owner {
                owner = wanted.name
                changes.append(RoleChange("made \(wanted.name) the owner of database \(database.name)",
                                          sql: "ALTER DATABASE \(quotedDatabase) OWNER TO \(wanted.quoted)"))
            }
            let revoked = ["CONNECT", "TEMPORARY"].filter { database.grants.contains(.init(RoleState.public, $0)) }
            if !revoked.isEmpty {
                changes.append(RoleChange("revoked \(revoked.joined(separator: ", ")) on database \(database.name) from PUBLIC",
                                          sql: "REVOKE \(revoked.joined(separator: ", ")) ON DATABASE \(quotedDatabase) FROM PUBLIC"))
                // A migrating role that is neither superuser nor owner would lock itself out.
                if !state.currentUserIsSuperuser, owner != state.currentUser.name,
                   !database.grants.contains(.init(state.currentUser.name, "CONNECT")) {
                    changes.append(RoleChange("granted CONNECT on database \(database.name) to \(state.currentUser) (runs the migrations)",
                                              sql: "GRANT CONNECT ON DATABASE \(quotedDatabase) TO \(state.currentUser.quoted)"))
                }
            }
        } else if let wanted = roles.owner, let schema = state.schemas.first, schema.place.owner != wanted.name {
            changes.append(RoleChange("made \(wanted.name) the owner of schema \(schema.place.name)",
                                      sql: "ALTER SCHEMA \(schema.place.name.quoted) OWNER TO \(wanted.quoted)"))
        }
        for login in roles.logins where !database.grants.contains(.init(login.name.name, "CONNECT")) {
            changes.append(RoleChange("granted CONNECT on database \(database.name) to \(login.name.name)",
                                      sql: "GRANT CONNECT ON DATABASE \(quotedDatabase) TO \(login.name.quoted)"))
        }
        return changes
    }

    private static func schemaChanges(_ roles: TenantRoles, schema: RoleState.Schema, state: RoleState) -> [RoleChange] {
        var changes: [RoleChange] = []
        let name = schema.place.name.name, quotedSchema = schema.place.name.quoted
        let grants = schema.place.grants
        if grants.contains(.init(RoleState.public, "CREATE")) {
            changes.append(RoleChange("revoked CREATE on schema \(name) from PUBLIC", sql: "REVOKE CREATE ON SCHEMA \(quotedSchema) FROM PUBLIC"))
        }
        for login in roles.logins {
            let role = login.name.name, quoted = login.name.quoted
            if grants.contains(.init(role, "CREATE")) {
                changes.append(RoleChange("revoked CREATE on schema \(name) from \(role)", sql: "REVOKE CREATE ON SCHEMA \(quotedSchema) FROM \(quoted)"))
            }
            if !grants.contains(.init(role, "USAGE")) {
                changes.append(RoleChange("granted USAGE on schema \(name) to \(role)", sql: "GRANT USAGE ON SCHEMA \(quotedSchema) TO \(quoted)"))
            }
            let exists = state.roles[role] != nil
            let tables = login.access == .readWrite ? readWriteTables : readOnlyTables
            if exists ? tables.contains(where: { schema.tablesLacking.contains(.init(role, $0)) }) : schema.hasTables {
                changes.append(RoleChange("granted \(tables.joined(separator: ", ")) on all tables in schema \(name) to \(role)",
                                          sql: "GRANT \(tables.joined(separator: ", ")) ON ALL TABLES IN SCHEMA \(quotedSchema) TO \(quoted)"))
            }
            let sequences = login.access == .readWrite ? readWriteSequences : []
            if !sequences.isEmpty, exists ? sequences.contains(where: { schema.sequencesLacking.contains(.init(role, $0)) }) : schema.hasSequences {
                changes.append(RoleChange("granted \(sequences.joined(separator: ", ")) on all sequences in schema \(name) to \(role)",
                                          sql: "GRANT \(sequences.joined(separator: ", ")) ON ALL SEQUENCES IN SCHEMA \(quotedSchema) TO \(quoted)"))
            }
            for creator in creators(roles, state: state) {
                for (objectType, privileges, noun) in [("r", tables, "TABLES"), ("S", sequences, "SEQUENCES")] where !privileges.isEmpty {
                    let present = privileges.allSatisfy { schema.defaults.contains(.init(creator: creator.name, objectType: objectType, grant: .init(role, $0))) }
                    guard !present else { continue }
                    changes.append(RoleChange(
                        "default privileges: \(noun.lowercased()) \(creator) creates in schema \(name) grant \(privileges.joined(separator: ", ")) to \(role)",
                        sql: "ALTER DEFAULT PRIVILEGES FOR ROLE \(creator.quoted) IN SCHEMA \(quotedSchema) GRANT \(privileges.joined(separator: ", ")) ON \(noun) TO \(quoted)"))
                }
            }
        }
        return changes
    }

    /// The roles whose later tables get default privileges: the migrating role, and the owner role when the
    /// migrating role may act for it.
    static func creators(_ roles: TenantRoles, state: RoleState) -> [SQLIdentifier] {
        guard let owner = roles.owner, owner != state.currentUser, state.currentUserIsSuperuser || state.memberOfOwner else {
            return [state.currentUser]
        }
        return [state.currentUser, owner]
    }
}
