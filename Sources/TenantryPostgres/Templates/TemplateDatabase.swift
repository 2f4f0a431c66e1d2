import Logging
import PostgresNIO
import TenantryCore

/// A template database at the latest tenant version, cloned with `CREATE DATABASE ... TEMPLATE` for new tenants.
///
/// `CREATE DATABASE` refuses a template that anyone is connected to (55006). So the template never accepts
/// connections (`ALLOW_CONNECTIONS false`): a refresh builds a new database beside it, and swaps the two under an
/// exclusive advisory lock that clones take shared (on the master database, where every runner connects anyway).
/// A clone therefore never meets a half-built template, and a refresh never pulls one out from under a clone.
public struct TemplateDatabase: Sendable {
    public let name: SQLIdentifier
    /// The master database: holds the refresh/clone lock.
    public let master: PostgresConnector
    public let logger: Logger

    public init(name: SQLIdentifier, master: PostgresConnector, logger: Logger) {
        self.name = name
        self.master = master
        self.logger = logger
    }

    /// What a refresh built.
    public struct Refreshed: Sendable {
        public var version: MigrationVersion?
        public var migrations: Int
        public var replaced: Bool
    }

    /// Builds the template from scratch (owner, extensions, every tenant migration) beside the old one, then swaps.
    /// Refreshes queue behind each other; clones wait only for the swap.
    public func refresh(owner: SQLIdentifier?, extensions: [String], migrations: [Migration], historySchema: SQLIdentifier,
                        timeouts: MigrationTimeouts) async throws -> Refreshed {
        let admin = try DatabaseAdmin(server: master)
        let building = try SQLIdentifier(String(name.name.prefix(SQLIdentifier.maxBytes - 6)) + "_build")
        return try await withLock("refresh", shared: false) {
            // A refresh that died leaves its build behind; nobody else uses that name.
            _ = try await admin.dropDatabase(building)
            try await admin.ensureDatabase(building, owner: owner)
            let connector = try master.to(database: building.name)
            try await connector.withConnection { connection in
                for extensionName in try extensions.map({ try SQLIdentifier($0) }) {
                    try await connection.execute("CREATE EXTENSION IF NOT EXISTS \(extensionName.quoted)", logger: logger)
                }
            }
            let target = MigrationTarget(connector: connector, historySchema: historySchema, track: "tenant", label: "template \(name)")
            let outcome = try await MigrationRunner(target: target, migrations: migrations, timeouts: timeouts, logger: logger).migrate()
            let replaced = try await withLock("clone", shared: false) { try await swap(in: building, admin: admin) }
            return Refreshed(version: outcome.after, migrations: outcome.applied.count, replaced: replaced)
        }
    }

    /// The finished build becomes the template; returns whether an older template was replaced.
    private func swap(in building: SQLIdentifier, admin: DatabaseAdmin) async throws -> Bool {
        let existed = try await admin.databaseExists(name)
        if existed {
            try await admin.connector.withConnection { connection in
                try await connection.execute("ALTER DATABASE \(name.quoted) IS_TEMPLATE false", logger: logger)
            }
            _ = try await admin.dropDatabase(name)
        }
        try await admin.connector.withConnection { connection in
            try await connection.execute("ALTER DATABASE \(building.quoted) RENAME TO \(name.quoted)", logger: logger)
            try await connection.execute("ALTER DATABASE \(name.quoted) WITH IS_TEMPLATE true ALLOW_CONNECTIONS false", logger: logger)
        }
        return existed
    }

    /// Drops the template (it stops being one first: PostgreSQL refuses to drop a template). False when absent.
    public func drop() async throws -> Bool {
        let admin = try DatabaseAdmin(server: master)
        return try await withLock("clone", shared: false) {
            guard try await admin.databaseExists(name) else { return false }
            try await admin.connector.withConnection { connection in
                try await connection.execute("ALTER DATABASE \(name.quoted) IS_TEMPLATE false", logger: logger)
            }
            return try await admin.dropDatabase(name)
        }
    }

    /// Creates `database` as a copy of the template, unless it exists. Returns true when it was created now.
    public func clone(into database: SQLIdentifier, owner: SQLIdentifier?) async throws -> Bool {
        let admin = try DatabaseAdmin(server: master)
        return try await withLock("clone", shared: true) {
            guard try await admin.databaseExists(name) else {
                throw TenantryError.setup("the template database \(name) does not exist",
                                          hint: "run `tenantry template refresh` to build it, or set tenants.provision: migrations")
            }
            return try await admin.ensureDatabase(database, owner: owner, template: name)
        }
    }

    private func withLock<Result: Sendable>(_ purpose: String, shared: Bool, _ body: () async throws -> Result) async throws -> Result {
        try await TemplateLocks(name: name, master: master, logger: logger).with(purpose, shared: shared) { _ in try await body() }
    }
}
