import Logging
import PostgresNIO
import TenantryCore

/// Server-level operations run from a maintenance database (`postgres`), like `createdb` does.
public struct DatabaseAdmin: Sendable {
    public let connector: PostgresConnector

    /// - Parameter server: settings for any database on the server; the maintenance database is used instead.
    public init(server: PostgresConnector) throws(TenantryError) {
        self.connector = try server.to(database: "postgres")
    }

    public func databaseExists(_ name: SQLIdentifier) async throws -> Bool {
        try await connector.withConnection { connection in
            try await Self.exists(name, on: connection, logger: connector.logger)
        }
    }

    /// Creates the database unless it exists. Returns true when it was created now.
    @discardableResult
    /// - Parameters:
    ///   - owner: `OWNER` of a new database (the connecting role when nil).
    ///   - template: `TEMPLATE` of a new database (`template1` when nil).
    public func ensureDatabase(_ name: SQLIdentifier, owner: SQLIdentifier? = nil, template: SQLIdentifier? = nil) async throws -> Bool {
        var delay = Duration.milliseconds(100)
        for attempt in 1...Self.templateBusyAttempts {
            do {
                return try await createUnlessExists(name, owner: owner, template: template)
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "55006" && attempt < Self.templateBusyAttempts {
                // Someone is connected to the template database; such sessions are usually brief.
                connector.logger.debug("template database busy, retrying", metadata: ["database": "\(name)"])
                try await Task.sleep(for: delay)
                delay *= 2
            } catch {
                // The databases this creates are prerequisites: without them the run cannot start (exit 2).
                throw PostgresErrorDescriber.queryError(error, doing: "creating database \(name)", kind: .setup)
            }
        }
        preconditionFailure("the last attempt returns or throws")
    }

    static let templateBusyAttempts = 6

    private func createUnlessExists(_ name: SQLIdentifier, owner: SQLIdentifier?, template: SQLIdentifier?) async throws -> Bool {
        try await connector.withConnection { connection in
            if try await Self.exists(name, on: connection, logger: connector.logger) { return false }
            do {
                let options = (owner.map { " OWNER \($0.quoted)" } ?? "") + (template.map { " TEMPLATE \($0.quoted)" } ?? "")
                try await connection.execute("CREATE DATABASE \(name.quoted)\(options)", logger: connector.logger)
                return true
            } catch let error as PSQLError where ["42P04", "23505"].contains(error.serverInfo?[.sqlState]) {
                // Another process created it between our check and our CREATE; a CREATE running at the same
                // moment as ours fails on pg_database's unique name index (23505) instead of with 42P04.
                return false
            }
        }
    }

    /// The database's owner, or nil when there is no such database.
    public func owner(of name: SQLIdentifier) async throws -> String? {
        try await connector.withConnection { connection in
            let rows = try await connection.query(
                "SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = \(name.name)", logger: connector.logger).collect()
            return try rows.first?.decode(String.self)
        }
    }

    /// The server's version, e.g. "PostgreSQL 15.18".
    public func serverVersion() async throws -> String {
        try await connector.withConnection { connection in
            let rows = try await connection.query("SHOW server_version", logger: connector.logger).collect()
            let version = try rows.first?.decode(String.self) ?? "unknown"
            return "PostgreSQL \(version.split(separator: " ").first.map(String.init) ?? version)"
        }
    }

    private static func exists(_ name: SQLIdentifier, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        let rows = try await connection.query("SELECT 1 FROM pg_database WHERE datname = \(name.name)", logger: logger).collect()
        return !rows.isEmpty
    }
}
