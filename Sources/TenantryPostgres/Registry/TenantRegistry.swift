import Foundation
import Logging
import PostgresNIO
import TenantryCore

/// The fleet's tenants, in the master database's `tenantry` schema (`tenants` and `tenant_events`).
///
/// Every status change is written together with its event, in one transaction. Values always travel as bound
/// parameters. Call `prepare()` once before the rest (`tenantry up` does); it is cheap when nothing is pending.
public struct TenantRegistry: Sendable {
    /// Connects to the master database.
    public let connector: PostgresConnector
    public let logger: Logger
    /// How long `prepare()` waits for another process preparing the same registry.
    public let lockWait: Duration
    /// Set by a fleet run: registrations and status changes that take one statement go through this connection
    /// instead of a pooled one each (see `SharedConnection`); anything more takes a pooled one.
    public var shared: SharedConnection?

    public init(master connector: PostgresConnector, logger: Logger, lockWait: Duration = .seconds(60)) {
        self.connector = connector
        self.logger = logger
        self.lockWait = lockWait
    }

    /// Runs Tenantry's internal migrations for the registry (history in `tenantry.tenantry_migrations`, track
    /// `tenantry`, never mixed with the project's master migrations).
    ///
    /// Idempotent, and safe from many processes at once: the migration engine's advisory lock serializes them,
    /// and later ones find nothing pending.
    public func prepare() async throws {
        let runner = MigrationRunner(target: target, migrations: RegistryMigrations.all,
                                     timeouts: MigrationTimeouts(lockWait: lockWait), logger: logger)
        do {
            let outcome = try await runner.migrate()
            if !outcome.applied.isEmpty {
                logger.info("tenant registry ready", metadata: ["version": "\(outcome.after?.text ?? "-")"])
            }
        } catch let error as TenantryError {
            throw await newerRegistry(runner) ?? error
        }
    }

    /// The tenant with this id, DELETED ones included; nil when there is none.
    public func find(_ id: String) async throws -> Tenant? {
        try await withConnection(doing: "reading tenant \(RegistryFailure.printable(id))") { connection in
            try await Self.find(id, on: connection, logger: logger)
        }
    }

    /// The tenants, ordered by id (byte order), without the DELETED ones unless asked.
    public func list(includeDeleted: Bool = false) async throws -> [Tenant] {
        try await withConnection(doing: "listing tenants") { connection in
            let rows = try await connection.query("""
                SELECT \(unescaped: TenantRow.columns) FROM tenantry.tenants
                WHERE \(includeDeleted) OR status <> 'DELETED'
                ORDER BY id COLLATE "C"
                """, logger: logger).collect()
            return try rows.map(TenantRow.decode)
        }
    }

    /// The tenant's latest `limit` status changes, oldest first.
    ///
    /// - Throws: a usage error when there is no such tenant.
    public func events(for id: String, limit: Int = 50) async throws -> [TenantEvent] {
        try await withConnection(doing: "reading the events of tenant \(RegistryFailure.printable(id))") { connection in
            let rows = try await connection.query("""
                SELECT at, from_status, to_status, error, details::text FROM tenantry.tenant_events
                WHERE tenant_id = \(id) ORDER BY at DESC, id DESC LIMIT \(max(limit, 0))
                """, logger: logger).collect()
            if rows.isEmpty, try await Self.find(id, on: connection, logger: logger) == nil {
                throw RegistryFailure.unknownTenant(id)
            }
            return try rows.reversed().map(Self.event)
        }
    }

    // MARK: - Shared pieces

    /// The registry as a migration target: the master database, history in schema `tenantry`, its own lock.
    var target: MigrationTarget {
        MigrationTarget(connector: connector, historySchema: RegistryMigrations.schema, track: RegistryMigrations.track,
                        label: "tenant registry (\(connector.settings.database))")
    }

    /// One statement on the shared connection when there is one; nil means "do it on a pooled connection": no
    /// shared connection, or the server refused the statement (which wrote nothing). A connection lost meanwhile
    /// may have committed it: that error is thrown, unless the statement may run twice (`idempotent`).
    func onShared<Result: Sendable>(
        doing what: String, idempotent: Bool, _ statement: (PostgresConnection) async throws -> Result
    ) async throws -> Result? {
        guard let shared else { return nil }
        do {
            return try await shared.run(statement)
        } catch let error as PSQLError where error.serverInfo != nil {
            return nil
        } catch where idempotent {
            return nil
        } catch {
            throw RegistryFailure.describe(error, doing: what, database: connector.settings.database)
        }
    }

    /// A connection to the master; errors become registry errors that say what was being done.
    func withConnection<Result: Sendable>(
        doing what: String, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        do {
            return try await connector.withConnection(body)
        } catch {
            throw RegistryFailure.describe(error, doing: what, database: connector.settings.database)
        }
    }

    static func find(_ id: String, lock: Bool = false, on connection: PostgresConnection, logger: Logger) async throws -> Tenant? {
        let rows = try await connection.query("""
            SELECT \(unescaped: TenantRow.columns) FROM tenantry.tenants WHERE id = \(id) \(unescaped: lock ? "FOR UPDATE" : "")
            """, logger: logger).collect()
        return try rows.first.map(TenantRow.decode)
    }

    private static func event(_ row: PostgresRow) throws -> TenantEvent {
        let (at, from, to, error, details) = try row.decode((Date, String?, String, String?, String?).self)
        guard let parsedTo = TenantStatus(rawValue: to) else {
            throw TenantryError.setup("tenantry.tenant_events has status \(to), which this Tenantry cannot read", hint: "upgrade Tenantry")
        }
        return TenantEvent(at: at, from: from.flatMap(TenantStatus.init(rawValue:)), to: parsedTo, error: error,
                           details: try details.map { try RegistryJSON.decode($0, column: "tenantry.tenant_events.details") } ?? [:])
    }

    /// When the registry's history holds versions this binary does not know, says so plainly.
    private func newerRegistry(_ runner: MigrationRunner) async -> TenantryError? {
        guard let applied = try? await runner.plan().applied else { return nil }
        let known = Set(RegistryMigrations.all.map(\.version))
        let unknown = applied.map(\.version).filter { !known.contains($0) }
        guard let newest = unknown.max() else { return nil }
        return .setup("the tenant registry in \(connector.settings.database) is at version \(newest), newer than this Tenantry knows (\(RegistryMigrations.all.last!.version))",
                      hint: "upgrade Tenantry to the version that manages this fleet")
    }
}
