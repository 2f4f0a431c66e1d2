import TenantryCore
import TenantryPostgres

/// The targets of a new fleet run: the registry's tenants narrowed by `--tenant` and `--where`, the ones that
/// cannot run marked skipped (suspended, another engine), canaries first.
enum FleetSelection {
    /// `listing`: the application's table (`tenants.query`), re-read by this command; what it no longer lists is skipped.
    static func plan(_ registered: [Tenant], options: FleetOptions, config: Config, listing: TenantListing? = nil) throws(TenantryError) -> [FleetRun.Planned] {
        let tenants = try select(registered, options.selection)
        let runnable = tenants.filter { skipReason($0, listing: listing) == nil }
        var canaries = config.migrate.canaryTenants.filter { id in runnable.contains { $0.id == id } }
        if let tier = config.migrate.canaryTier {
            canaries += runnable.filter { $0.tier == tier && !canaries.contains($0.id) }.map(\.id)
        }
        if let count = options.canary {
            canaries += runnable.filter { !canaries.contains($0.id) }.prefix(max(0, count - canaries.count)).map(\.id)
        }
        let canarySet = Set(canaries)
        let first = canaries.compactMap { id in tenants.first { $0.id == id } }
        let rest = tenants.filter { !canarySet.contains($0.id) }
        return (first + rest).map { tenant in
            FleetRun.Planned(tenantID: tenant.id, server: tenant.server, canary: canarySet.contains(tenant.id),
                             skipReason: skipReason(tenant, listing: listing))
        }
    }

    /// The registered tenants `--tenant` and `--where` pick (all of them without either).
    static func select(_ registered: [Tenant], _ selection: TenantSelection) throws(TenantryError) -> [Tenant] {
        var tenants = registered
        if !selection.tenants.isEmpty {
            let known = Set(registered.map(\.id))
            let unknown = selection.tenants.filter { !known.contains($0) }
            guard unknown.isEmpty else {
                throw .usage("no such tenant: \(unknown.joined(separator: ", "))", hint: "`tenantry tenant list` shows the registered tenants")
            }
            let wanted = Set(selection.tenants)
            tenants = tenants.filter { wanted.contains($0.id) }
        }
        for filter in selection.filters {
            let matches = try matcher(filter)
            tenants = tenants.filter(matches)
        }
        guard !tenants.isEmpty else {
            throw .usage("no tenant matches the selection", hint: "`tenantry tenant list` shows the registered tenants and their tiers")
        }
        return tenants
    }

    /// Suspended tenants, tenants of other engines, and those the application's table (`listing`) no longer lists
    /// in use are skipped, and reported as skipped.
    static func skipReason(_ tenant: Tenant, listing: TenantListing? = nil) -> String? {
        if tenant.engine != "postgresql" { return "engine \(tenant.engine)" }
        switch tenant.status {
        case .suspended, .dropping, .deleted: return tenant.status.rawValue
        case .active, .failed, .provisioning: return listing?.skipReason(tenant)
        }
    }

    static let filterKeys = ["tier", "server", "status", "layout", "metadata.KEY"]

    private static func matcher(_ filter: String) throws(TenantryError) -> @Sendable (Tenant) -> Bool {
        guard let equals = filter.firstIndex(of: "="), equals != filter.startIndex else {
            throw .usage("--where '\(filter)' is not key=value", hint: "for example --where tier=enterprise")
        }
        let key = String(filter[..<equals]), value = String(filter[filter.index(after: equals)...])
        switch key {
        case "tier": return { $0.tier == value }
        case "server": return { ($0.server ?? Config.masterServerName) == value }
        case "status": return { $0.status.rawValue == value.uppercased() }
        case "layout": return { $0.layout.rawValue == value }
        default:
            guard key.hasPrefix("metadata."), key.count > "metadata.".count else {
                throw .usage("--where cannot filter on '\(key)'", hint: "use one of: \(filterKeys.joined(separator: ", "))")
            }
            let name = String(key.dropFirst("metadata.".count))
            return { $0.metadata[name] == value }
        }
    }
}
