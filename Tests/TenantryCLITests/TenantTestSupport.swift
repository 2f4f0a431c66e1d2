import Foundation
import TenantryTestSupport
import Testing

/// One tenant test's world: a project folder with `tenantry.yml` (layout, a naming pattern unique to this test),
/// `migrations/master` and `migrations/tenant`, and a master database of its own on the test server that the
/// test's first `up` creates. Every command runs the real binary with `--url <master>`.
///
/// Tenant databases (database layout) are named `{slug}_<suffix>`, so this test's can be listed (and dropped)
/// without touching any other test's; tenant schemas (schema layout) live in the master database and go with it.
struct TenantProject {
    let layout: String
    let directory: TemporaryDirectory
    let master: String
    let url: String
    /// The naming pattern's literal part: `{slug}_<suffix>`.
    let suffix: String

    /// - Parameter extraConfig: YAML appended to `tenantry.yml` (e.g. a `servers:` section).
    init(layout: String, prefix: String = "tcli", extensions: [String] = [], extraConfig: String = "") throws {
        self.layout = layout
        master = TestDatabase.uniqueName(prefix)
        suffix = "tz" + UUID().uuidString.prefix(8).lowercased()
        url = try TestServer.url(database: master)
        directory = try TemporaryDirectory("tenantry-tenants")
        var config = "layout: \(layout)\ntenants:\n  naming: \"{slug}_\(suffix)\"\n"
        if !extensions.isEmpty {
            config += "  extensions: [\(extensions.joined(separator: ", "))]\n"
        }
        config += extraConfig
        try directory.write("tenantry.yml", config)
        try directory.write("migrations/master/001_admins.sql", nativeMigration(up: "CREATE TABLE admins (id int PRIMARY KEY, email text);"))
        try directory.write("migrations/tenant/001_wells.sql", nativeMigration(up: "CREATE TABLE wells (id int PRIMARY KEY, name text NOT NULL);"))
    }

    var path: String { directory.path }

    /// Drops this test's tenant databases and its master database, and removes the folder; never throws.
    func cleanUp() {
        if let names = try? tenantDatabasesOnServer() {
            for name in names { TestServer.drop(name) }
        }
        TestServer.drop(master)
        directory.remove()
    }

    // MARK: - Files

    @discardableResult
    func writeTenantMigration(_ name: String, _ contents: String) throws -> String {
        try directory.write("migrations/tenant/\(name)", contents)
    }

    // MARK: - Commands

    func run(_ arguments: [String], timeout: TimeInterval = 120) throws -> TenantryBinary.Result {
        try CLI.run(arguments + ["--url", url], in: path, timeout: timeout)
    }

    // MARK: - What the server holds, through psql

    func psql(_ sql: String) throws -> String {
        try Psql.query(url, sql)
    }

    static func lines(_ text: String) -> [String] {
        text.isEmpty ? [] : text.split(separator: "\n").map(String.init)
    }

    /// `status` of the tenant in tenantry.tenants; nil when it has no row.
    func status(_ id: String) throws -> String? {
        let text = try psql("SELECT status FROM tenantry.tenants WHERE id = '\(id)'")
        return text.isEmpty ? nil : text
    }

    func registryIDs() throws -> [String] {
        Self.lines(try psql("SELECT id FROM tenantry.tenants ORDER BY id COLLATE \"C\""))
    }

    func eventCount(_ id: String? = nil) throws -> Int {
        let filter = id.map { " WHERE tenant_id = '\($0)'" } ?? ""
        return Int(try psql("SELECT count(*) FROM tenantry.tenant_events\(filter)")) ?? -1
    }

    /// `from->to` per event of the tenant, oldest first.
    func events(_ id: String) throws -> [String] {
        Self.lines(try psql("""
            SELECT coalesce(from_status, '-') || '->' || to_status FROM tenantry.tenant_events
            WHERE tenant_id = '\(id)' ORDER BY at, id
            """))
    }

    /// The latest event's error of the tenant, or "" when it has none.
    func lastError(_ id: String) throws -> String {
        try psql("SELECT coalesce(error, '') FROM tenantry.tenant_events WHERE tenant_id = '\(id)' ORDER BY at DESC, id DESC LIMIT 1")
    }

    /// The tenant's database (database layout) or schema (schema layout) name, as the registry has it.
    func location(_ id: String) throws -> String {
        try psql("SELECT coalesce(schema_name, database_name) FROM tenantry.tenants WHERE id = '\(id)'")
    }

    /// The names the registry holds for this test's live tenants: databases or schemas, per the layout.
    func registryNames() throws -> [String] {
        let column = layout == "schema" ? "schema_name" : "database_name"
        return Self.lines(try psql("SELECT \(column) FROM tenantry.tenants WHERE status <> 'DELETED' ORDER BY \(column) COLLATE \"C\""))
    }

    /// Databases on the server that this test's naming pattern could have produced.
    func tenantDatabasesOnServer() throws -> [String] {
        Self.lines(try Psql.query(try TestDatabase.requireURL(),
                                  "SELECT datname FROM pg_database WHERE datname LIKE '%\\_\(suffix)' ORDER BY datname COLLATE \"C\""))
    }

    /// Schemas in the master database other than PostgreSQL's, public and tenantry.
    func tenantSchemasInMaster() throws -> [String] {
        Self.lines(try psql("""
            SELECT nspname FROM pg_namespace
            WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('public', 'information_schema', 'tenantry')
            ORDER BY nspname COLLATE "C"
            """))
    }

    /// What pg_database (database layout) or pg_namespace (schema layout) holds for this test's tenants.
    func namesOnServer() throws -> [String] {
        layout == "schema" ? try tenantSchemasInMaster() : try tenantDatabasesOnServer()
    }

    /// Runs `sql` where the tenant's tables are: its database, or the master database with its schema first on
    /// the search path.
    func tenantQuery(_ id: String, _ sql: String) throws -> String {
        let place = try location(id)
        if layout == "schema" {
            // The search path as a connection option: psql -c would also print the result of a SET.
            return try Psql.query(url + (url.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(place)", sql)
        }
        return try Psql.query(try TestServer.url(database: place), sql)
    }

    /// The tenant's tables (without the history table), sorted.
    func tenantTables(_ id: String) throws -> [String] {
        let place = try location(id)
        let schema = layout == "schema" ? place : "public"
        return Self.lines(try tenantQuery(id, """
            SELECT tablename FROM pg_tables WHERE schemaname = '\(schema)' AND tablename <> 'tenantry_migrations' ORDER BY 1
            """))
    }

    /// The versions in the tenant's migration history, sorted (the history table found wherever it is).
    func tenantHistory(_ id: String) throws -> [String] {
        let place = try location(id)
        let schema = layout == "schema" ? place : "public"
        let exists = try tenantQuery(id, "SELECT count(*) FROM pg_tables WHERE schemaname = '\(schema)' AND tablename = 'tenantry_migrations'")
        guard exists == "1" else { return [] }
        return Self.lines(try tenantQuery(id, "SELECT version FROM \"\(schema)\".tenantry_migrations ORDER BY version COLLATE \"C\""))
    }

    /// Whether the tenant's `table` has `column`.
    func tenantHasColumn(_ id: String, table: String, column: String) throws -> Bool {
        let place = try location(id)
        let schema = layout == "schema" ? place : "public"
        return try tenantQuery(id, """
            SELECT count(*) FROM information_schema.columns
            WHERE table_schema = '\(schema)' AND table_name = '\(table)' AND column_name = '\(column)'
            """) == "1"
    }
}

/// The two layouts, for parameterized tests.
enum TenantLayout: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case database, schema
    var testDescription: String { rawValue }
}
