import Logging
import PostgresNIO
import Synchronization
import TenantryCore

/// Schema-per-tenant's template: a schema in the master database at the latest tenant version, copied into each
/// new tenant's schema by one `DO` block (`SchemaCloneScript`) instead of replaying every migration.
///
/// A refresh builds the schema beside the old one, checks that a copy of it is identical (`SchemaFingerprint`:
/// what the copy cannot reproduce makes the refresh fail, so no tenant is ever cloned from it), then swaps it
/// in under the same advisory locks as `TemplateDatabase`.
public struct SchemaTemplate: Sendable {
    public let name: SQLIdentifier
    /// The master database, which holds the template and the tenants cloned from it.
    public let master: PostgresConnector
    public let logger: Logger

    public init(name: SQLIdentifier, master: PostgresConnector, logger: Logger) {
        self.name = name
        self.master = master
        self.logger = logger
    }

    /// Builds, verifies and swaps in the template; returns its version and how many migrations it holds.
    /// `tenancy` runs the files as they run in a tenant's schema (extensions in their shared schema, the source
    /// schema's names rewritten to the template's).
    public func refresh(extensions: [String], migrations: [Migration], timeouts: MigrationTimeouts,
                        tenancy: SchemaTenancy = SchemaTenancy()) async throws -> TemplateDatabase.Refreshed {
        let locks = TemplateLocks(name: name, master: master, logger: logger)
        let building = try Self.buildName(of: name)
        let verifying = try SQLIdentifier(String(name.name.prefix(SQLIdentifier.maxBytes - 7)) + "_verify")
        return try await locks.with("refresh", shared: false) { _ in
            try await master.withConnection { connection in
                for schema in [building, verifying] {
                    try await connection.execute("DROP SCHEMA IF EXISTS \(schema.quoted) CASCADE", logger: logger)
                }
                for extensionName in try extensions.map({ try SQLIdentifier($0) }) {
                    try await connection.execute(SchemaTenancy.ensureExtension(extensionName, schema: tenancy.extensionsSchema), logger: logger)
                }
            }
            var target = MigrationTarget(connector: master, schema: building, historySchema: building, track: "tenant", label: "template \(name)")
            target.tenancy = tenancy
            let outcome = try await MigrationRunner(target: target, migrations: migrations, timeouts: timeouts, logger: logger)
                .migrate(.init(newTarget: true))
            do {
                try await verify(building, using: verifying)
            } catch {
                try? await master.withConnection { connection in
                    for schema in [building, verifying] {
                        try await connection.execute("DROP SCHEMA IF EXISTS \(schema.quoted) CASCADE", logger: logger)
                    }
                }
                throw error
            }
            let replaced = try await locks.with("clone", shared: false) { connection in
                let existed = try await Self.oid(of: name, on: connection, logger: logger) != nil
                try await connection.execute("DROP SCHEMA IF EXISTS \(name.quoted) CASCADE", logger: logger)
                try await connection.execute("ALTER SCHEMA \(building.quoted) RENAME TO \(name.quoted)", logger: logger)
                return existed
            }
            return TemplateDatabase.Refreshed(version: outcome.after, migrations: outcome.applied.count, replaced: replaced)
        }
    }

    /// The schema a refresh builds the template in, beside the old one.
    static func buildName(of name: SQLIdentifier) throws(TenantryError) -> SQLIdentifier {
        try SQLIdentifier(String(name.name.prefix(SQLIdentifier.maxBytes - 6)) + "_build")
    }

    /// Copies `built` into `scratch` and compares the two (the caller drops both when this throws).
    private func verify(_ built: SQLIdentifier, using scratch: SQLIdentifier) async throws {
        try await master.withConnection { connection in
            let script = try await SchemaCloneScript.read(built, on: connection, logger: logger)
            try await connection.execute(script.block(creating: scratch), logger: logger)
            let expected = try await SchemaFingerprint.of(built, on: connection, logger: logger)
            let copied = try await SchemaFingerprint.of(scratch, on: connection, logger: logger)
            try await connection.execute("DROP SCHEMA \(scratch.quoted) CASCADE", logger: logger)
            guard expected == copied else {
                let kinds = ["relations", "columns", "constraints", "indexes", "views", "functions", "triggers", "types", "sequences",
                             "comments", "row-level security policies", "aggregates or window functions", "rows"]
                let differing = zip(kinds, zip(expected, copied)).filter { $0.1.0 != $0.1.1 }.map(\.0)
                throw TenantryError.setup(
                    "the tenant schema built from the migrations cannot be copied faithfully (its \(differing.joined(separator: ", ")) differ in a copy); the template was not kept",
                    hint: "set tenants.provision: migrations for this project; schema templates copy tables, sequences, indexes, constraints, views, functions, triggers, enums and rows")
            }
        }
    }

    /// Creates `schema` as a copy of the template, unless it exists. Returns true when it was created now. The copy
    /// runs on the connection that holds the shared lock: one connection per clone, as the fleet's budget counts.
    public func clone(into schema: SQLIdentifier) async throws -> Bool {
        try await TemplateLocks(name: name, master: master, logger: logger).with("clone", shared: true) { connection in
            guard let oid = try await Self.oid(of: name, on: connection, logger: logger) else {
                throw TenantryError.setup("the template schema \(name) does not exist",
                                          hint: "run `tenantry template refresh` to build it, or set tenants.provision: migrations")
            }
            let script = try await script(for: oid, on: connection)
            do {
                // Its settings are local to the block's own transaction: the connection's session is unchanged.
                try await connection.execute(script.block(creating: schema), logger: logger)
                return true
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P06" {
                return false  // duplicate_schema: a resumed run made it already
            }
        }
    }

    /// The clone script of the template as it is now: read once per process and template build (its schema's oid).
    private func script(for oid: Int64, on connection: PostgresConnection) async throws -> SchemaCloneScript {
        if let cached = Self.scripts.withLock({ $0[oid] }) { return cached }
        let script = try await SchemaCloneScript.read(name, on: connection, logger: logger)
        Self.scripts.withLock { $0[oid] = script }
        return script
    }

    private static let scripts = Mutex<[Int64: SchemaCloneScript]>([:])

    private static func oid(of schema: SQLIdentifier, on connection: PostgresConnection, logger: Logger) async throws -> Int64? {
        try await connection.query("SELECT oid::int8 FROM pg_namespace WHERE nspname = \(schema.name)", logger: logger)
            .collect().first?.decode(Int64.self)
    }
}
