import TenantryCore

/// The application's own tenant table as `tenants.query` lists it, read again by every command that works on the
/// fleet: a registered tenant that the table no longer lists, lists as soft-deleted, or lists with an engine other
/// than PostgreSQL is skipped and reported, never migrated.
public struct TenantListing: Sendable {
    public let rows: [TenantDiscovery.Listed]
    private let bySlug: [String: TenantDiscovery.Listed]

    public init(_ rows: [TenantDiscovery.Listed]) {
        self.rows = rows
        bySlug = Dictionary(rows.map { ($0.slug, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Why `tenant` is left alone by this command; nil when the application's table lists it as a PostgreSQL tenant in use.
    public func skipReason(_ tenant: Tenant) -> String? {
        guard let row = bySlug[tenant.id] else { return "not listed by tenants.query" }
        return row.skipReason
    }

    /// The rows that may be adopted: in use, PostgreSQL.
    public var adoptable: [TenantDiscovery.Listed] { rows.filter { $0.skipReason == nil } }
}
