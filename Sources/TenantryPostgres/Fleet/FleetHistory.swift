import Foundation
import Logging
import PostgresNIO
import TenantryCore

/// Every tenant's migration history, read in bulk and without locks (a read changes nothing): for tenant
/// schemas, a few queries per shared database (the catalog, then `UNION ALL` over 200 history tables at a
/// time, on up to 4 connections); for tenant databases, one connection each, concurrently within each server's budget.
public struct FleetHistory: Sendable {
    public let servers: TenantServers
    /// Where database-layout tenants keep their history table (`migrate.history_schema`).
    public let historySchema: SQLIdentifier
    public let logger: Logger

    public init(servers: TenantServers, historySchema: SQLIdentifier, logger: Logger) {
        self.servers = servers
        self.historySchema = historySchema
        self.logger = logger
    }

    /// Each tenant's applied migrations (empty when it has no history table yet), or the error reading it.
    public func read(_ tenants: [Tenant]) async -> [String: Result<[AppliedMigration], TenantryError>] {
        var results: [String: Result<[AppliedMigration], TenantryError>] = [:]
        let schemaTenants = Dictionary(grouping: tenants.filter { $0.schemaName != nil }) { SharedDatabase(server: $0.server, name: $0.databaseName) }
        let databaseTenants = Dictionary(grouping: tenants.filter { $0.schemaName == nil }) { $0.server ?? "" }
        await withTaskGroup(of: [String: Result<[AppliedMigration], TenantryError>].self) { group in
            for (database, members) in schemaTenants {
                group.addTask { await readSchemas(members, in: database) }
            }
            for (server, members) in databaseTenants {
                group.addTask { await readDatabases(members, width: servers.budget(of: server.isEmpty ? nil : server)) }
            }
            for await part in group { results.merge(part) { first, _ in first } }
        }
        return results
    }

    struct SharedDatabase: Hashable {
        var server: String?
        var name: String
    }

    /// Parsing and planning a `UNION ALL` costs the server about as much as running it: chunks of this many
    /// tables go out on several connections at once, so both cores of a small server work on them.
    static let chunkSize = 200
    static let chunkConnections = 4

    private func readSchemas(_ tenants: [Tenant], in database: SharedDatabase) async -> [String: Result<[AppliedMigration], TenantryError>] {
        do {
            let server = database.server
            let connector = try servers.server(named: server).to(database: database.name)
            let names = tenants.compactMap(\.schemaName)
            // Which schemas have a history table, by the table's oid (no names spliced in as values).
            let schemaOf = try await connector.withConnection { connection in
                var schemaOf: [Int64: String] = [:]
                for row in try await connection.query("""
                    SELECT c.oid::int8, n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relname = 'tenantry_migrations' AND c.relkind IN ('r', 'p') AND n.nspname = ANY(\(names))
                    """, logger: logger).collect() {
                    let (oid, schema) = try row.decode((Int64, String).self)
                    schemaOf[oid] = schema
                }
                return schemaOf
            }
            let withHistory = Array(Set(schemaOf.values)).sorted()
            let chunks = stride(from: 0, to: withHistory.count, by: Self.chunkSize).map {
                Array(withHistory[$0..<min($0 + Self.chunkSize, withHistory.count)])
            }
            let width = max(1, min(Self.chunkConnections, servers.budget(of: server) - 1))
            var applied: [String: [AppliedMigration]] = [:]
            try await withThrowingTaskGroup(of: [(String, AppliedMigration)].self) { group in
                var next = chunks.makeIterator()
                for _ in 0..<width {
                    guard let chunk = next.next() else { break }
                    group.addTask { try await readChunk(chunk, schemaOf: schemaOf, on: connector) }
                }
                for try await rows in group {
                    for (schema, row) in rows { applied[schema, default: []].append(row) }
                    if let chunk = next.next() { group.addTask { try await readChunk(chunk, schemaOf: schemaOf, on: connector) } }
                }
            }
            var results: [String: Result<[AppliedMigration], TenantryError>] = [:]
            for tenant in tenants {
                results[tenant.id] = .success(applied[tenant.schemaName ?? ""] ?? [])
            }
            return results
        } catch {
            let described = PostgresErrorDescriber.queryError(error, doing: "reading the tenant histories in \(database.name)")
            return Dictionary(uniqueKeysWithValues: tenants.map { ($0.id, .failure(described)) })
        }
    }

    /// One `UNION ALL` over the history tables of `schemas`; each row comes back with its schema.
    private func readChunk(_ schemas: [String], schemaOf: [Int64: String], on connector: PostgresConnector) async throws -> [(String, AppliedMigration)] {
        let sql = try schemas.map { schema in
            "SELECT tableoid::int8, \(HistoryTable.columns) FROM \(try SQLIdentifier(schema).quoted).\(HistoryTable.name.quoted)"
        }.joined(separator: "\nUNION ALL\n")
        return try await connector.withConnection { connection in
            var rows: [(String, AppliedMigration)] = []
            for row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect() {
                let (oid, version, name, checksum, at, ms, by, kind, done, total, progress) =
                    try row.decode((Int64, String, String, String, Date, Int32, String, String, Int32?, Int32?, String?).self)
                guard let schema = schemaOf[oid] else { continue }
                rows.append((schema, try HistoryTable.applied((version, name, checksum, at, ms, by, kind, done, total, progress),
                                                              label: schema, table: "\(schema).tenantry_migrations")))
            }
            return rows
        }
    }

    private func readDatabases(_ tenants: [Tenant], width: Int) async -> [String: Result<[AppliedMigration], TenantryError>] {
        var results: [String: Result<[AppliedMigration], TenantryError>] = [:]
        await withTaskGroup(of: (String, Result<[AppliedMigration], TenantryError>).self) { group in
            var next = tenants.makeIterator()
            for _ in 0..<max(1, width) {
                guard let tenant = next.next() else { break }
                group.addTask { (tenant.id, await readDatabase(tenant)) }
            }
            for await (id, result) in group {
                results[id] = result
                if let tenant = next.next() { group.addTask { (tenant.id, await readDatabase(tenant)) } }
            }
        }
        return results
    }

    private func readDatabase(_ tenant: Tenant) async -> Result<[AppliedMigration], TenantryError> {
        do {
            let connector = try servers.connector(for: tenant)
            let table = "\(historySchema.quoted).\(HistoryTable.name.quoted)"
            return .success(try await connector.withConnection { connection in
                let exists = try await connection.query("SELECT to_regclass(\(table)) IS NOT NULL", logger: logger).collect()
                guard try exists.first?.decode(Bool.self) == true else { return [] }
                let rows = try await connection.query(PostgresQuery(unsafeSQL: "SELECT \(HistoryTable.columns) FROM \(table)"), logger: logger).collect()
                return try rows.map { try HistoryTable.applied(try $0.decode(HistoryTable.Row.self), label: tenant.id, table: table) }
            })
        } catch {
            return .failure(PostgresErrorDescriber.queryError(error, doing: "reading the history of tenant \(tenant.id)"))
        }
    }
}
