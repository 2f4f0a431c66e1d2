import Logging
import PostgresNIO
import TenantryCore

/// What a schema holds, as text to compare: every object kind the catalogs know of in it (with the server's
/// own deparsed definitions, read with the schema on `search_path` so two schemas compare equal when one is a
/// faithful copy of the other; a function body's own schema name, which a copy writes as the copy's, left out)
/// and every table's row count. A template whose clone differs is not used.
enum SchemaFingerprint {
    private static let parts: [String] = [
        "SELECT string_agg(relname || ':' || relkind::text || ':' || relpersistence::text || ':' || relrowsecurity::text, ',' ORDER BY relname) FROM pg_class WHERE relnamespace = $1::regnamespace AND relkind <> 'i'",
        """
        SELECT string_agg(c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull::text || ' ' || a.attidentity::text
                          || a.attgenerated::text || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid, true), '') || ' ' || a.attcollation::text,
                          ',' ORDER BY c.relname, a.attnum)
        FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum WHERE c.relnamespace = $1::regnamespace
        """,
        "SELECT string_agg(c.relname || '.' || con.conname || ' ' || pg_get_constraintdef(con.oid, true), ',' ORDER BY c.relname, con.conname) FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid WHERE con.connamespace = $1::regnamespace",
        "SELECT string_agg(pg_get_indexdef(indexrelid, 0, true), ',' ORDER BY indexrelid::regclass::text) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = $1::regnamespace",
        "SELECT string_agg(c.relname || ' ' || pg_get_viewdef(c.oid, true), ',' ORDER BY c.relname) FROM pg_class c WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('v', 'm')",
        "SELECT string_agg(proname || '(' || pg_get_function_arguments(oid) || ') ' || prokind::text || provolatile::text || ' ' || md5(replace(replace(coalesce(prosrc, ''), (SELECT quote_ident(nspname) FROM pg_namespace WHERE oid = $1::regnamespace) || '.', ''), (SELECT chr(34) || nspname || chr(34) FROM pg_namespace WHERE oid = $1::regnamespace) || '.', '')) || coalesce(array_to_string(proconfig, ';'), ''), ',' ORDER BY proname, pg_get_function_arguments(oid)) FROM pg_proc WHERE pronamespace = $1::regnamespace",
        "SELECT string_agg(pg_get_triggerdef(t.oid, true), ',' ORDER BY t.tgname) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = $1::regnamespace AND NOT t.tgisinternal",
        "SELECT string_agg(typname || ':' || typtype::text || ':' || coalesce((SELECT string_agg(enumlabel, '|' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = t.oid), ''), ',' ORDER BY typname) FROM pg_type t WHERE typnamespace = $1::regnamespace AND typtype <> 'c' AND NOT EXISTS (SELECT 1 FROM pg_class WHERE reltype = t.oid)",
        "SELECT string_agg(sequencename || ' ' || coalesce(last_value::text, '-') || ' ' || increment_by || ' ' || min_value || ' ' || max_value, ',' ORDER BY sequencename) FROM pg_sequences WHERE schemaname = (SELECT nspname FROM pg_namespace WHERE oid = $1::regnamespace)",
        "SELECT string_agg(c.relname || '.' || ds.objsubid::text || ' ' || ds.description, ',' ORDER BY c.relname, ds.objsubid) FROM pg_description ds JOIN pg_class c ON c.oid = ds.objoid AND ds.classoid = 'pg_class'::regclass WHERE c.relnamespace = $1::regnamespace",
        "SELECT count(*)::text FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace = $1::regnamespace",
        "SELECT count(*)::text FROM pg_proc WHERE pronamespace = $1::regnamespace AND prokind NOT IN ('f', 'p')",
        """
        SELECT string_agg(c.relname || '=' || (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text, ',' ORDER BY c.relname)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relnamespace = $1::regnamespace AND c.relkind = 'r'
        """,
    ]

    /// The fingerprint of `schema`, one line per object kind.
    static func of(_ schema: SQLIdentifier, on connection: PostgresConnection, logger: Logger) async throws -> [String] {
        try await SchemaCatalogQuery.run(parts, about: schema, on: connection, logger: logger).map { $0.first ?? "" }
    }
}
