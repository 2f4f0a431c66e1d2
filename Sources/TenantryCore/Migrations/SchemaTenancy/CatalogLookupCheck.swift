import PgQuery

/// Tenant files that look up PostgreSQL's catalogs by name without a schema filter: in schema-per-tenant, where
/// tenants share a database, `SELECT … FROM pg_constraint WHERE conname = 'x'` finds the first tenant's
/// constraint for every tenant, so the file's work is done in that tenant only. Read from the lexer's tokens of each
/// statement and of its dollar-quoted bodies (`DO` blocks, functions).
public enum CatalogLookupCheck {
    /// One statement that reads a catalog without a schema filter.
    public struct Finding: Sendable, Equatable {
        public var file: String
        /// 1-based line of the catalog's name in the file.
        public var line: Int
        public var statement: Int
        /// The catalog named (`pg_constraint`, `information_schema.columns`).
        public var catalog: String

        public var message: String {
            "\(file):\(line): statement \(statement) reads \(catalog) without a schema filter; in schema-per-tenant "
                + "every tenant shares the database, so it finds the first tenant's objects for all of them"
        }

        public static let hint = "filter by the tenant's schema (connamespace = current_schema()::regnamespace, "
            + "table_schema = current_schema(), or 'name'::regclass), which is the tenant's own when the file runs"
    }

    static let catalogs: Set<String> = [
        "pg_class", "pg_constraint", "pg_index", "pg_attribute", "pg_type", "pg_proc", "pg_trigger", "pg_policy",
        "pg_indexes", "pg_tables", "pg_views", "pg_matviews", "pg_sequences", "pg_policies", "pg_attrdef",
    ]

    /// Names whose presence means the lookup is narrowed to a schema (or resolved through the search path).
    static let filters: Set<String> = [
        "connamespace", "relnamespace", "typnamespace", "pronamespace", "schemaname", "nspname", "table_schema",
        "constraint_schema", "sequence_schema", "routine_schema", "udt_schema", "trigger_schema", "current_schema",
        "current_schemas", "regclass", "regtype", "regproc", "regprocedure", "regnamespace", "to_regclass", "to_regtype",
        "to_regproc", "to_regprocedure", "to_regnamespace", "polrelid", "tgrelid", "conrelid", "indrelid", "attrelid",
    ]

    /// The findings of every up and down section of `migrations`.
    public static func findings(in migrations: [Migration]) -> [Finding] {
        var findings: [Finding] = []
        for migration in migrations {
            for script in [migration.up] + (migration.down.map { [$0] } ?? []) {
                for statement in (try? StatementAnalyzer.statements(of: script)) ?? [] {
                    if let finding = finding(statement, file: script.file) { findings.append(finding) }
                }
            }
        }
        return findings
    }

    static func finding(_ statement: PreparedStatement, file: String) -> Finding? {
        guard statement.sql.contains("pg_") || statement.sql.contains("information_schema"),
              let tokens = try? PgQuery.scan(statement.sql) else { return nil }
        let bytes = Array(statement.sql.utf8)
        var names: [(name: String, start: Int, dotted: Bool)] = []
        func collect(_ tokens: [ScanToken], in bytes: [UInt8], offset: Int) {
            for (index, token) in tokens.enumerated() {
                let text = Substring(String(decoding: bytes[token.start..<token.end], as: UTF8.self))
                if token.isName {
                    let dotted = index + 1 < tokens.count && tokens[index + 1].kind == Int(UInt8(ascii: "."))
                    names.append((SchemaTenancy.name(text), token.start + offset, dotted))
                } else if let body = DollarQuotedBody(token, in: bytes) {
                    collect(body.tokens, in: body.bytes, offset: offset + body.offset)
                }
            }
        }
        collect(tokens, in: bytes, offset: 0)
        guard !names.contains(where: { filters.contains($0.name) }) else { return nil }
        let found = names.enumerated().first { index, entry in
            catalogs.contains(entry.name) || (entry.name == "information_schema" && entry.dotted && index + 1 < names.count)
        }
        guard let (index, entry) = found else { return nil }
        let catalog = entry.name == "information_schema" ? "information_schema.\(names[index + 1].name)" : entry.name
        let line = statement.line + bytes[..<min(entry.start, bytes.count)].count { $0 == UInt8(ascii: "\n") }
        return Finding(file: file, line: line, statement: statement.index, catalog: catalog)
    }
}
