import Logging
import PostgresNIO
import TenantryCore

/// What dropping a tenant's schema removes, and what it would take with it from outside the schema.
///
/// `DROP SCHEMA … CASCADE` also drops whatever depends on the schema's objects elsewhere: an extension created in
/// the schema (and with it every column of its types in every other tenant), another schema's view, foreign key or
/// column of one of its types. A drop with any such dependent is refused (`outside`), so a tenant's drop only
/// ever removes the tenant's own objects (`objects`).
public struct TenantSchemaContents: Sendable, Equatable {
    /// The schema's own relations, functions and types, as PostgreSQL describes them (`table t_acme."User"`).
    public var objects: [String]
    /// What depends on them from outside the schema, or lives in it without being one of its objects (an
    /// extension), described the same way.
    public var outside: [String]

    /// Reads both for `schema` (empty when it does not exist).
    public static func read(_ schema: SQLIdentifier, on connection: PostgresConnection, logger: Logger) async throws -> TenantSchemaContents {
        let name = schema.name
        // One read: the schema's objects ("own"; array and row types go with what they belong to) and what depends
        // on any of them from outside ("outside").
        let rows = try await connection.query("""
            WITH inside AS (
                SELECT 'pg_catalog.pg_class'::regclass AS classid, c.oid FROM pg_catalog.pg_class c
                JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = \(name)
                UNION ALL SELECT 'pg_catalog.pg_proc'::regclass, p.oid FROM pg_catalog.pg_proc p
                JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = \(name)
                UNION ALL SELECT 'pg_catalog.pg_type'::regclass, t.oid FROM pg_catalog.pg_type t
                JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = \(name)
                UNION ALL SELECT 'pg_catalog.pg_namespace'::regclass, n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = \(name)
            )
            SELECT 'own', pg_catalog.pg_describe_object(i.classid, i.oid, 0) FROM inside i
            WHERE i.classid <> 'pg_catalog.pg_namespace'::regclass
              AND NOT EXISTS (SELECT FROM pg_catalog.pg_type t WHERE i.classid = 'pg_catalog.pg_type'::regclass AND t.oid = i.oid
                              AND (t.typrelid <> 0 OR t.typcategory = 'A'))
            UNION
            SELECT 'outside', pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid)
            FROM pg_catalog.pg_depend d JOIN inside i ON d.refclassid = i.classid AND d.refobjid = i.oid
            WHERE d.deptype IN ('n', 'a')
              AND NOT EXISTS (SELECT FROM inside j WHERE j.classid = d.classid AND j.oid = d.objid)
              AND \(unescaped: Self.owningSchema) IS DISTINCT FROM (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = \(name))
            ORDER BY 1, 2
            """, logger: logger).collect().map { try $0.decode((String, String).self) }
        let objects = rows.filter { $0.0 == "own" }.map(\.1)
        let outside = rows.filter { $0.0 == "outside" }.map(\.1)
        return TenantSchemaContents(objects: objects, outside: outside)
    }

    /// The schema a dependent `d` belongs to: its own, or its table's or operator family's; NULL for what belongs to
    /// no schema (an extension, a cast), which always counts as outside.
    static let owningSchema = """
        CASE d.classid
            WHEN 'pg_catalog.pg_class'::regclass THEN (SELECT relnamespace FROM pg_catalog.pg_class WHERE oid = d.objid)
            WHEN 'pg_catalog.pg_type'::regclass THEN (SELECT typnamespace FROM pg_catalog.pg_type WHERE oid = d.objid)
            WHEN 'pg_catalog.pg_proc'::regclass THEN (SELECT pronamespace FROM pg_catalog.pg_proc WHERE oid = d.objid)
            WHEN 'pg_catalog.pg_constraint'::regclass THEN (SELECT connamespace FROM pg_catalog.pg_constraint WHERE oid = d.objid)
            WHEN 'pg_catalog.pg_operator'::regclass THEN (SELECT oprnamespace FROM pg_catalog.pg_operator WHERE oid = d.objid)
            WHEN 'pg_catalog.pg_opclass'::regclass THEN (SELECT opcnamespace FROM pg_catalog.pg_opclass WHERE oid = d.objid)
            WHEN 'pg_catalog.pg_opfamily'::regclass THEN (SELECT opfnamespace FROM pg_catalog.pg_opfamily WHERE oid = d.objid)
            WHEN 'pg_catalog.pg_collation'::regclass THEN (SELECT collnamespace FROM pg_catalog.pg_collation WHERE oid = d.objid)
            WHEN 'pg_catalog.pg_attrdef'::regclass THEN (SELECT c.relnamespace FROM pg_catalog.pg_attrdef a
                JOIN pg_catalog.pg_class c ON c.oid = a.adrelid WHERE a.oid = d.objid)
            WHEN 'pg_catalog.pg_trigger'::regclass THEN (SELECT c.relnamespace FROM pg_catalog.pg_trigger t
                JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid WHERE t.oid = d.objid)
            WHEN 'pg_catalog.pg_rewrite'::regclass THEN (SELECT c.relnamespace FROM pg_catalog.pg_rewrite r
                JOIN pg_catalog.pg_class c ON c.oid = r.ev_class WHERE r.oid = d.objid)
            WHEN 'pg_catalog.pg_policy'::regclass THEN (SELECT c.relnamespace FROM pg_catalog.pg_policy p
                JOIN pg_catalog.pg_class c ON c.oid = p.polrelid WHERE p.oid = d.objid)
            WHEN 'pg_catalog.pg_amproc'::regclass THEN (SELECT f.opfnamespace FROM pg_catalog.pg_amproc a
                JOIN pg_catalog.pg_opfamily f ON f.oid = a.amprocfamily WHERE a.oid = d.objid)
            WHEN 'pg_catalog.pg_amop'::regclass THEN (SELECT f.opfnamespace FROM pg_catalog.pg_amop a
                JOIN pg_catalog.pg_opfamily f ON f.oid = a.amopfamily WHERE a.oid = d.objid)
        END
        """

    /// The refusal of a drop that would reach outside the schema.
    func refusal(tenant: String, schema: SQLIdentifier) -> TenantryError {
        let shown = outside.prefix(10).joined(separator: "; ") + (outside.count > 10 ? "; and \(outside.count - 10) more" : "")
        return TenantryError.usage(
            "dropping tenant \(tenant) would also drop what lies outside its schema \(schema.name): \(shown); nothing was dropped",
            hint: "move an extension to the shared schema (ALTER EXTENSION name SET SCHEMA public) or drop what depends on the tenant's objects first, then run the drop again")
    }
}
