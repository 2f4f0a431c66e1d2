import Foundation
import Logging
import PostgresNIO
import TenantryCore

/// Finds and reads other tools' history tables on one target: in the target's schema (a tenant's schema, or
/// `public` for a database), and drizzle's own `drizzle` schema for a database.
public struct ForeignHistoryReader {
    /// One tool's table found on the target.
    public struct Found: Sendable, Equatable {
        public var tool: ForeignTool
        /// A schema name read from the catalog (so a valid identifier).
        public var schema: SQLIdentifier
        /// `schema.table`, as messages show it.
        public var name: String { "\(schema.name).\(tool.table)" }
        var qualified: String { "\(schema.quoted).\((try? SQLIdentifier(tool.table).quoted) ?? tool.table)" }
    }

    let target: MigrationTarget
    let logger: Logger

    /// The schemas searched: the target's own, then a tool's own for a database target.
    private var schemas: [String] {
        guard let schema = target.schema else { return ["public"] + ForeignTool.allCases.flatMap(\.ownSchemas) }
        return [schema.name]
    }

    /// Every known tool's table on the target, one query.
    func tables(on connection: PostgresConnection) async throws -> [Found] {
        try connection.ensureOpen()
        var query = PostgresQuery(unsafeSQL: """
            SELECT n.nspname, c.relname,
                   EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'dirty' AND NOT a.attisdropped)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1) AND c.relname = ANY($2)
            ORDER BY array_position($1, n.nspname::text)
            """)
        query.binds.append(schemas)
        query.binds.append(Array(Set(ForeignTool.allCases.map(\.table))))
        var found: [Found] = []
        for try await (schema, table, hasDirty) in try await connection.query(query, logger: logger).decode((String, String, Bool).self) {
            guard let tool = ForeignTool.allCases.first(where: {
                $0.table == table && ($0 != .golangMigrate || hasDirty) && ($0 != .dbmate || !hasDirty)
            }) else { continue }
            // The first schema wins: drizzle's table in the target's schema over one in `drizzle`.
            if tool.ownSchemas.contains(schema) || target.schema != nil || schema == "public" {
                if !found.contains(where: { $0.tool == tool }) { found.append(Found(tool: tool, schema: try SQLIdentifier(schema))) }
            }
        }
        return found
    }

    /// The rows of `table`, in the order the tool applied them.
    func entries(of table: Found, on connection: PostgresConnection) async throws -> [ForeignEntry] {
        try connection.ensureOpen()
        let from = table.qualified
        switch table.tool {
        case .drizzle:
            return try await rows("SELECT hash, created_at::text FROM \(from) ORDER BY id", (String, String?).self, on: connection).map { hash, when in
                ForeignEntry(key: .hash(hash, when: when), label: "the migration with hash \(hash.prefix(12))…" + (when.map { " (created_at \($0))" } ?? ""))
            }
        case .prisma:
            let sql = """
                SELECT migration_name, checksum, finished_at FROM \(from)
                WHERE rolled_back_at IS NULL ORDER BY started_at, migration_name
                """
            return try await rows(sql, (String, String, Date?).self, on: connection).map { name, checksum, finished in
                ForeignEntry(key: .name(name), checksum: checksum, appliedAt: finished,
                             failure: finished == nil ? "unfinished (finished_at is NULL: it failed or is still running)" : nil, label: name)
            }
        case .golangMigrate:
            return try await rows("SELECT version::text, dirty FROM \(from)", (String, Bool).self, on: connection).map { version, dirty in
                ForeignEntry(key: .upTo(version, exact: true), failure: dirty ? "marked dirty (a migration failed part way)" : nil,
                             label: "version \(version)")
            }
        case .dbmate:
            return try await rows("SELECT version::text FROM \(from) ORDER BY version", String.self, on: connection).map { version in
                ForeignEntry(key: .version(version), label: "version \(version)")
            }
        case .flyway:
            return try await flywayEntries(from, on: connection)
        case .knex:
            return try await rows("SELECT name, migration_time FROM \(from) ORDER BY id", (String, Date?).self, on: connection).map { name, time in
                ForeignEntry(key: .name(name), appliedAt: time, label: name)
            }
        }
    }

    /// Flyway: versioned rows by version (their CRC32 compared), BASELINE as "everything up to it", and each
    /// repeatable's latest row by its script's name; its schema-creation marker and deleted rows are not migrations.
    private func flywayEntries(_ from: String, on connection: PostgresConnection) async throws -> [ForeignEntry] {
        let sql = """
            SELECT version, script, checksum::text, installed_on::timestamptz, success, type FROM (
                SELECT DISTINCT ON (coalesce(version, script)) * FROM \(from)
                WHERE type NOT IN ('SCHEMA', 'DELETE') ORDER BY coalesce(version, script), installed_rank DESC
            ) latest ORDER BY installed_rank
            """
        return try await rows(sql, (String?, String, String?, Date?, Bool, String).self, on: connection).map { version, script, checksum, installed, success, type in
            let failure = success ? nil : "failed (success = false)"
            guard let version else {
                // R__name.sql: the repeatable's version is R__name.
                let name = script.hasSuffix(".sql") ? String(script.dropLast(4)) : script
                return ForeignEntry(key: .version(name), checksum: checksum, appliedAt: installed, failure: failure, label: script)
            }
            if type == "BASELINE" {
                return ForeignEntry(key: .upTo(version, exact: false), appliedAt: installed, failure: failure, label: "baseline \(version)")
            }
            return ForeignEntry(key: .version(version), checksum: checksum, appliedAt: installed, failure: failure, label: "\(script) (version \(version))")
        }
    }

    private func rows<Row: PostgresDecodable & Sendable>(_ sql: String, _ type: Row.Type, on connection: PostgresConnection) async throws -> [Row] {
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect().map { try $0.decode(Row.self) }
    }

    private func rows<each Column: PostgresDecodable>(_ sql: String, _ type: (repeat each Column).Type, on connection: PostgresConnection) async throws -> [(repeat each Column)] {
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect().map { try $0.decode((repeat each Column).self) }
    }
}
