import Foundation
import PgQuery
import Synchronization

/// How tenant files written for one schema run in another (schema-per-tenant): the same file gives each tenant
/// the objects it gives a plain database, in the tenant's own schema.
///
/// - References qualified with `sourceSchema` (`"public"."users"`, `public.touch()`) are rewritten to the tenant's
///   schema when they name an object the tenant track creates (`trackObjects`); any other such reference (an
///   extension's type or function, a table shared in `public`) keeps pointing where it did. `SET search_path`,
///   `CREATE SCHEMA [IF NOT EXISTS] public`, and schema grants, comments and owners name the tenant's schema too.
/// - The places come from PostgreSQL's own lexer (`PgQuery.scan`), never from a text search: string literals and
///   comments stay as they are. Dollar-quoted bodies of functions and `DO` blocks are SQL (or PL/pgSQL, which
///   names things the same way), and are rewritten by the same rule; single-quoted bodies are left as written.
/// - `CREATE EXTENSION` runs once per database, in `extensionsSchema`, under a lock (`ensureExtension`), never in
///   a tenant's schema: a tenant's drop can then never take an extension, or other tenants' columns, with it. A
///   `DROP EXTENSION` (a down section's) leaves the shared extension in place, with a notice.
public struct SchemaTenancy: Sendable, Equatable {
    /// The schema the files were written for (`tenants.source_schema`, default `public`).
    public let sourceSchema: SQLIdentifier
    /// Where extensions live, once per database, on every tenant's `search_path` after its own schema
    /// (`tenants.extensions_schema`, default `public`).
    public let extensionsSchema: SQLIdentifier
    /// Every relation, index, sequence, function, type and constraint name the tenant track creates.
    public let trackObjects: Set<String>
    /// Rewrites every name the source schema qualifies, not only the track's objects (`requalify`).
    let rewritesEveryName: Bool
    /// Each statement's edits, found once per process (a fleet run adapts the same files for every tenant); the
    /// properties above are constants, so they never go stale.
    private let cache = EditCache()

    public init(sourceSchema: SQLIdentifier = .public, extensionsSchema: SQLIdentifier = .public, trackObjects: Set<String> = []) {
        self.init(sourceSchema: sourceSchema, extensionsSchema: extensionsSchema, trackObjects: trackObjects, rewritesEveryName: false)
    }

    init(sourceSchema: SQLIdentifier, extensionsSchema: SQLIdentifier, trackObjects: Set<String>, rewritesEveryName: Bool) {
        self.sourceSchema = sourceSchema
        self.extensionsSchema = extensionsSchema
        self.trackObjects = trackObjects
        self.rewritesEveryName = rewritesEveryName
    }

    /// The rules for a tenant track: its objects are read from every up and down script (one that does not parse
    /// is left out here; every command that runs the track reports it).
    public init(track: [Migration], sourceSchema: SQLIdentifier = .public, extensionsSchema: SQLIdentifier = .public) {
        var objects: Set<String> = []
        for migration in track {
            for script in [migration.up] + (migration.down.map { [$0] } ?? []) {
                for statement in (try? StatementAnalyzer.statements(of: script)) ?? [] {
                    objects.formUnion(Self.createdNames(statement.sql))
                }
            }
        }
        self.init(sourceSchema: sourceSchema, extensionsSchema: extensionsSchema, trackObjects: objects)
    }

    /// The rules `config` gives a tenant track (`tenants.source_schema`, `tenants.extensions_schema`).
    ///
    /// - Throws: a usage error for a schema name PostgreSQL cannot take.
    public init(track: [Migration], config: Config.Tenants) throws(TenantryError) {
        self.init(track: track, sourceSchema: try SQLIdentifier(config.sourceSchema), extensionsSchema: try SQLIdentifier(config.extensionsSchema))
    }

    /// Every up statement of `track` that runs differently in a tenant's schema, as it runs in `schema`: what
    /// `validate -v` prints.
    public func rewrites(of track: [Migration], in schema: SQLIdentifier) -> [(file: String, line: Int, sql: String)] {
        track.flatMap { migration in
            ((try? StatementAnalyzer.statements(of: migration.up)) ?? []).compactMap { statement in
                let adapted = adapt(statement.sql, kind: statement.kind, to: schema)
                return adapted == statement.sql ? nil : (migration.up.file, statement.line, adapted)
            }
        }
    }

    /// The search path of a tenant's migrations and seeds: its schema, then the extensions' schema.
    public func searchPath(for schema: SQLIdentifier) -> String {
        schema == extensionsSchema ? schema.quoted : schema.quoted + ", " + extensionsSchema.quoted
    }

    /// `statements` as they run in `schema`.
    public func adapt(_ statements: [PreparedStatement], to schema: SQLIdentifier) -> [PreparedStatement] {
        statements.map { statement in
            var adapted = statement
            adapted.sql = adapt(statement.sql, kind: statement.kind, to: schema)
            return adapted
        }
    }

    /// One statement's text as it runs in `schema`; unchanged when it needs nothing.
    public func adapt(_ sql: String, kind: String, to schema: SQLIdentifier) -> String {
        let edits = cachedEdits(sql, kind: kind)
        guard !edits.isEmpty else { return sql }
        var bytes = Array(sql.utf8)
        for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            bytes.replaceSubrange(edit.range, with: Array(text(of: edit.replacement, schema: schema).utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func cachedEdits(_ sql: String, kind: String) -> [Edit] {
        // Most statements never name the source schema: one case-insensitive search rules them out.
        guard kind == "CreateExtensionStmt" || sql.range(of: sourceSchema.name, options: .caseInsensitive) != nil
                || (kind == "DropStmt" && sql.range(of: "extension", options: .caseInsensitive) != nil) else { return [] }
        if let known = cache.edits.withLock({ $0[sql] }) { return known }
        let found = edits(sql, kind: kind)
        cache.edits.withLock { cache in
            if cache.count >= 4096 { cache.removeAll() }
            cache[sql] = found
        }
        return found
    }

    public static func == (lhs: SchemaTenancy, rhs: SchemaTenancy) -> Bool {
        lhs.sourceSchema == rhs.sourceSchema && lhs.extensionsSchema == rhs.extensionsSchema && lhs.trackObjects == rhs.trackObjects
            && lhs.rewritesEveryName == rhs.rewritesEveryName
    }

    private func text(of replacement: Edit.Replacement, schema: SQLIdentifier) -> String {
        switch replacement {
        case .tenantSchema: schema.quoted
        case .searchPath: searchPath(for: schema)
        case .text(let text): text
        }
    }

    /// `CREATE EXTENSION IF NOT EXISTS` in `schema`, once per database: tenants provisioned at the same moment
    /// queue on a transaction lock instead of racing on `pg_extension`'s unique index; an extension already there
    /// costs one catalog lookup and takes no lock. One installed in another schema (a tenant's, by an older tool) is
    /// an error that says how to move it: tenants could not find its types on their search path.
    public static func ensureExtension(_ name: SQLIdentifier, schema: SQLIdentifier, version: String? = nil, cascade: Bool = false) -> String {
        let versionClause = version.map { " VERSION " + SQLLiteral.escaped($0) } ?? ""
        let literal = SQLLiteral.escaped(name.name, dollarSafe: true)
        let message = SQLLiteral.escaped("extension \(name.name) is installed in another schema, not in \(schema.name), "
            + "the schema every tenant has on its search path after its own", dollarSafe: true)
        let hint = SQLLiteral.escaped("move it there (ALTER EXTENSION \(name.quoted) SET SCHEMA \(schema.quoted)), "
            + "or set tenants.extensions_schema to the schema it is in", dollarSafe: true)
        return """
            DO $tenantry_extension$ DECLARE found name; BEGIN \
            SELECT n.nspname INTO found FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace \
            WHERE e.extname = \(literal); \
            IF found IS NULL THEN PERFORM pg_catalog.pg_advisory_xact_lock(\(extensionLockKey)); \
            CREATE SCHEMA IF NOT EXISTS \(schema.quoted); CREATE EXTENSION IF NOT EXISTS \(name.quoted) WITH SCHEMA \(schema.quoted)\(versionClause)\(cascade ? " CASCADE" : ""); \
            ELSIF found NOT IN (\(SQLLiteral.escaped(schema.name, dollarSafe: true)), 'pg_catalog') THEN \
            RAISE EXCEPTION USING ERRCODE = '42710', MESSAGE = \(message), DETAIL = 'it is in schema ' || found, HINT = \(hint); \
            END IF; END $tenantry_extension$
            """
    }

    /// The transaction lock every `ensureExtension` takes: 'tenantry' in ASCII (no hash of `AdvisoryLock.key` is this small a pattern).
    public static let extensionLockKey: Int64 = 0x7465_6E61_6E74_7279 & 0x7FFF_FFFF_FFFF_FFFF

    /// Normalizes a lexed name: a quoted identifier's text, or an unquoted one folded to lower case.
    static func name(_ token: Substring) -> String {
        if token.hasPrefix("\"") && token.hasSuffix("\"") && token.count >= 2 {
            return String(token.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
        }
        return String(token).lowercased()
    }
}

private final class EditCache: Sendable {
    let edits = Mutex<[String: [Edit]]>([:])
}

/// One change to a statement's text.
struct Edit: Sendable, Equatable {
    enum Replacement: Sendable, Equatable {
        /// The tenant's schema, quoted.
        case tenantSchema
        /// The tenant's schema and the extensions' schema, for a `search_path` value.
        case searchPath
        case text(String)
    }

    /// UTF-8 byte range in the statement.
    var range: Range<Int>
    var replacement: Replacement
}
