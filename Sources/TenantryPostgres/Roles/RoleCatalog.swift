import Logging
import PostgresNIO
import TenantryCore

/// Reads `RoleState` for one tenant from the catalogs of its database: pg_roles (and pg_authid when readable),
/// pg_database.datacl, pg_namespace.nspacl, has_table_privilege / has_sequence_privilege, pg_default_acl.
struct RoleCatalog {
    let connection: PostgresConnection
    let logger: Logger

    /// - Parameters:
    ///   - database: the tenant's database (database layout) or the shared one (schema layout).
    ///   - schemas: the schemas whose tables the roles use; those that do not exist are left out of the state.
    func read(_ roles: TenantRoles, database: SQLIdentifier, schemas: [SQLIdentifier]) async throws -> RoleState {
        let owner = roles.owner?.name ?? ""
        let session = try await connection.query("""
            SELECT current_user::text, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user),
                   has_table_privilege('pg_catalog.pg_authid', 'SELECT'),
                   EXISTS (SELECT 1 FROM pg_roles o WHERE o.rolname = \(owner) AND pg_has_role(current_user, o.oid, 'MEMBER'))
            """, logger: logger).collect()
        guard let first = session.first else { throw TenantryError.failed("reading the current role returned nothing") }
        let (user, superuser, readable, member) = try first.decode((String, Bool, Bool, Bool).self)
        var state = RoleState(currentUser: try SQLIdentifier(user), currentUserIsSuperuser: superuser, memberOfOwner: member,
                              passwordsReadable: readable, roles: try await readRoles(roles.names, passwords: readable),
                              database: try await readDatabase(database), schemas: [])
        let existing = roles.logins.map(\.name.name).filter { state.roles[$0] != nil }
        for schema in schemas {
            guard let place = try await readSchema(schema) else { continue }
            var entry = RoleState.Schema(place: place, defaults: try await readDefaults(schema))
            (entry.hasTables, entry.tablesLacking) = try await lacking(in: schema, roles: existing, sequences: false)
            (entry.hasSequences, entry.sequencesLacking) = try await lacking(in: schema, roles: existing, sequences: true)
            state.schemas.append(entry)
        }
        return state
    }

    private func readRoles(_ names: [String], passwords: Bool) async throws -> [String: RoleState.Role] {
        var roles: [String: RoleState.Role] = [:]
        let rows = try await connection.query("SELECT rolname::text, rolcanlogin, rolsuper FROM pg_roles WHERE rolname = ANY(\(names))",
                                              logger: logger).collect()
        for row in rows {
            let (name, canLogin, superuser) = try row.decode((String, Bool, Bool).self)
            roles[name] = RoleState.Role(canLogin: canLogin, isSuperuser: superuser)
        }
        guard passwords, !roles.isEmpty else { return roles }
        let stored = try await connection.query("SELECT rolname::text, rolpassword FROM pg_authid WHERE rolname = ANY(\(names))",
                                                logger: logger).collect()
        for row in stored {
            let (name, password) = try row.decode((String, String?).self)
            roles[name]?.storedPassword = password
        }
        return roles
    }

    private func readDatabase(_ database: SQLIdentifier) async throws -> RoleState.Place {
        let rows = try await connection.query("""
            SELECT pg_get_userbyid(d.datdba)::text, CASE WHEN a.grantee = 0 THEN '' ELSE pg_get_userbyid(a.grantee)::text END, a.privilege_type
            FROM pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a WHERE d.datname = \(database.name)
            """, logger: logger).collect()
        guard let place = try Self.place(database, rows) else {
            throw TenantryError.failed("database \(database.name) does not exist", hint: "provision the tenant first (`tenantry tenant retry`)")
        }
        return place
    }

    private func readSchema(_ schema: SQLIdentifier) async throws -> RoleState.Place? {
        let rows = try await connection.query("""
            SELECT pg_get_userbyid(n.nspowner)::text, CASE WHEN a.grantee = 0 THEN '' ELSE pg_get_userbyid(a.grantee)::text END, a.privilege_type
            FROM pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a WHERE n.nspname = \(schema.name)
            """, logger: logger).collect()
        return try Self.place(schema, rows)
    }

    private static func place(_ name: SQLIdentifier, _ rows: [PostgresRow]) throws -> RoleState.Place? {
        var owner: String?
        var grants: Set<RoleState.Grant> = []
        for row in rows {
            let (rowOwner, grantee, privilege) = try row.decode((String, String, String).self)
            owner = rowOwner
            grants.insert(.init(grantee, privilege))
        }
        return owner.map { RoleState.Place(name: name, owner: $0, grants: grants) }
    }

    private func readDefaults(_ schema: SQLIdentifier) async throws -> Set<RoleState.DefaultGrant> {
        let rows = try await connection.query("""
            SELECT pg_get_userbyid(d.defaclrole)::text, d.defaclobjtype::text,
                   CASE WHEN a.grantee = 0 THEN '' ELSE pg_get_userbyid(a.grantee)::text END, a.privilege_type
            FROM pg_default_acl d JOIN pg_namespace n ON n.oid = d.defaclnamespace, aclexplode(d.defaclacl) a
            WHERE n.nspname = \(schema.name)
            """, logger: logger).collect()
        var defaults: Set<RoleState.DefaultGrant> = []
        for row in rows {
            let (creator, objectType, grantee, privilege) = try row.decode((String, String, String, String).self)
            defaults.insert(.init(creator: creator, objectType: objectType, grant: .init(grantee, privilege)))
        }
        return defaults
    }

    /// Whether the schema has tables (or sequences), and which (role, privilege) pairs some of them lack.
    private func lacking(in schema: SQLIdentifier, roles: [String], sequences: Bool) async throws -> (Bool, Set<RoleState.Grant>) {
        let kinds = sequences ? ["S"] : ["r", "p", "v", "m", "f"]
        let privileges = sequences ? ["USAGE", "SELECT"] : ["SELECT", "INSERT", "UPDATE", "DELETE"]
        let exists = try await connection.query("""
            SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                           WHERE n.nspname = \(schema.name) AND c.relkind::text = ANY(\(kinds)))
            """, logger: logger).collect().first?.decode(Bool.self) ?? false
        guard exists, !roles.isEmpty else { return (exists, []) }
        let rows = try await connection.query("""
            SELECT r.rolname::text, p.privilege FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN pg_roles r CROSS JOIN unnest(\(privileges)::text[]) AS p(privilege)
            WHERE n.nspname = \(schema.name) AND c.relkind::text = ANY(\(kinds)) AND r.rolname = ANY(\(roles))
            GROUP BY 1, 2
            HAVING NOT bool_and(CASE WHEN c.relkind = 'S' THEN has_sequence_privilege(r.oid, c.oid, p.privilege)
                                     ELSE has_table_privilege(r.oid, c.oid, p.privilege) END)
            """, logger: logger).collect()
        var missing: Set<RoleState.Grant> = []
        for row in rows {
            let (role, privilege) = try row.decode((String, String).self)
            missing.insert(.init(role, privilege))
        }
        return (true, missing)
    }
}
