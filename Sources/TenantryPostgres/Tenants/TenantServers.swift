import PostgresNIO
import TenantryCore

/// Where tenants live: the master's server and the servers of `servers:` in config, by the name the registry
/// records in `tenantry.tenants.server` (NULL for the master's server, which commands call `master`).
///
/// A registry value that is a credential-free URL (`postgresql://app@db2:5432/postgres?sslmode=require`) names a
/// server listed per tenant by `tenants.query`; its password comes from `.pgpass` or `PGPASSWORD`, as with libpq.
public struct TenantServers: Sendable {
    public struct Server: Sendable {
        /// `master`, or the name from `servers:`.
        public let name: String
        /// A connection to the server's default database (the master database on the master's server).
        public let connector: PostgresConnector
        /// Most connections fleet work opens to this server at once.
        public let budget: Int
        /// Whether placement may put new tenants here.
        public let newTenants: Bool

        public init(name: String, connector: PostgresConnector, budget: Int = TenantServers.defaultBudget, newTenants: Bool = true) {
            self.name = name
            self.connector = connector
            self.budget = budget
            self.newTenants = newTenants
        }
    }

    public static let defaultBudget = 10

    public let master: Server
    public let others: [Server]
    /// Resolves URL-named servers (PG* variables, `.pgpass`).
    let environment: [String: String]

    public init(master: Server, others: [Server] = [], environment: [String: String] = [:]) {
        self.master = master
        self.others = others
        self.environment = environment
    }

    /// Only the master's server, with the default budget.
    public init(master connector: PostgresConnector) {
        self.init(master: Server(name: Config.masterServerName, connector: connector))
    }

    public var all: [Server] { [master] + others }

    /// The server a registry value (or a name typed by the user) designates; nil and `master` are the master's.
    public func server(named name: String?) throws(TenantryError) -> PostgresConnector {
        guard let name, name != Config.masterServerName else { return master.connector }
        if let server = others.first(where: { $0.name == name }) { return server.connector }
        if Self.isURL(name) { return try connector(forURL: name) }
        let known = all.map(\.name).joined(separator: ", ")
        throw .setup("server '\(name)' is not in servers: of the configuration (known: \(known))",
                     hint: "add it under servers: with its URL, or place the tenant on a known server")
    }

    /// A connection to the tenant's database (its own, or the shared one holding its schema) on its server.
    public func connector(for tenant: Tenant) throws(TenantryError) -> PostgresConnector {
        try server(named: tenant.server).to(database: tenant.databaseName)
    }

    /// The budget of the server a registry value designates (URL-named servers get the default).
    public func budget(of name: String?) -> Int {
        guard let name, name != Config.masterServerName else { return master.budget }
        return others.first(where: { $0.name == name })?.budget ?? Self.defaultBudget
    }

    /// The registry value for a server name: NULL for the master's.
    public static func registryValue(_ name: String) -> String? {
        name == Config.masterServerName ? nil : name
    }

    static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    private func connector(forURL text: String) throws(TenantryError) -> PostgresConnector {
        let url = try ConnectionURL.parse(text, source: "the registry's server column")
        let settings = try ConnectionResolver.system(environment: environment).resolve(url).settings
        return try PostgresConnector(settings: settings, logger: master.connector.logger)
    }
}

extension TenantServers {
    /// What dropping the tenant's schema removes and would reach outside it; nil for a database tenant.
    public func schemaContents(of tenant: Tenant) async throws -> TenantSchemaContents? {
        guard let schemaName = tenant.schemaName else { return nil }
        let schema = try SQLIdentifier(schemaName)
        let connector = try connector(for: tenant)
        return try await connector.withConnection { connection in
            try await TenantSchemaContents.read(schema, on: connection, logger: connector.logger)
        }
    }

    /// Drops the tenant's own database (ending its sessions) or its schema with everything in it, on its server.
    /// A schema whose drop would reach outside it (see `TenantSchemaContents`) is refused unless `reachingOutside`
    /// (`down`, which drops every tenant and the master with them).
    public func dropLocation(of tenant: Tenant, reachingOutside: Bool = false) async throws {
        if let schemaName = tenant.schemaName {
            let schema = try SQLIdentifier(schemaName)
            let connector = try connector(for: tenant)
            try await connector.withConnection { connection in
                let logger = connector.logger
                try await connection.execute("BEGIN", logger: logger)
                do {
                    // Checked and dropped in one transaction.
                    let contents = try await TenantSchemaContents.read(schema, on: connection, logger: logger)
                    if !reachingOutside && !contents.outside.isEmpty { throw contents.refusal(tenant: tenant.id, schema: schema) }
                    try await connection.execute("DROP SCHEMA IF EXISTS \(schema.quoted) CASCADE", logger: logger)
                    try await connection.execute("COMMIT", logger: logger)
                } catch {
                    try? await connection.execute("ROLLBACK", logger: logger)
                    throw error
                }
            }
        } else {
            try await DatabaseAdmin(server: try server(named: tenant.server)).dropDatabase(try SQLIdentifier(tenant.databaseName))
        }
    }
}
