import TenantryCore
import TenantryPostgres

/// The tenant part of `tenantry up`: every registered tenant brought up one after another (fleet-wide
/// parallelism belongs to `migrate tenants`); one tenant's failure never stops the others.
enum UpTenants {
    struct Row: Encodable {
        var tenant: String
        var status: String
        var layout: String
        var location: String
        var version: String?
        var outcome: String
        var error: String?
    }

    static func run(_ context: CommandContext, registry: TenantRegistry, seeds: SeedCatalog?) async throws -> [Row] {
        let provisioner = try await TenantTrack.checkedProvisioner(context)
        let listing = try await TenantTrack.listing(context, provisioner: provisioner)
        var adopted: Set<String> = []
        if let listing { adopted = try await adopt(listing, provisioner: provisioner, context: context) }
        let tenants = try await registry.list()
        guard !tenants.isEmpty else { return [] }
        var rows: [Row] = []
        for tenant in tenants {
            let location = tenant.schemaName.map { "\(tenant.databaseName).\($0)" } ?? tenant.databaseName
            var row = Row(tenant: tenant.id, status: tenant.status.rawValue, layout: tenant.layout.rawValue, location: location, outcome: "")
            if let skip = FleetSelection.skipReason(tenant, listing: listing) {
                row.outcome = "skipped (\(skip))"
            } else {
                do {
                    let result = try await provisioner.bringUp(tenant)
                    row.status = result.tenant.status.rawValue
                    row.version = result.version?.text
                    // Registered a moment ago from tenants.query: its provisioning starts here, it does not resume.
                    let steps = adopted.contains(tenant.id) ? result.steps.filter { if case .resumed = $0 { false } else { true } } : result.steps
                    var parts = result.alreadyActive ? [] : (adopted.contains(tenant.id) ? ["adopted from tenants.query"] : [])
                        + steps.map(TenantTrack.describe)
                    row.outcome = parts.isEmpty ? "up to date" : parts.joined(separator: ", ")
                    if let seeds {
                        // A failed seed leaves the tenant ACTIVE (its schema is fine); the run still exits 1.
                        do {
                            let report = try await SeedRunner(target: try provisioner.target(for: result.tenant), logger: context.logger)
                                .apply(seeds, tenant: result.tenant)
                            if !report.applied.isEmpty { parts.append(UpSeeds.describe(report, output: context.output)) }
                            row.outcome = parts.isEmpty ? "up to date" : parts.joined(separator: ", ")
                        } catch let error as TenantryError {
                            row.outcome = "seed failed"
                            row.error = error.message
                        }
                    }
                } catch {
                    // One tenant's failure, of whatever kind, never stops the others.
                    row.status = TenantStatus.failed.rawValue
                    row.outcome = "failed"
                    row.error = (error as? TenantryError)?.message ?? Redactor.shared.redact("\(error)")
                }
            }
            rows.append(row)
        }
        return rows
    }

    /// Registers the tenants `tenants.query` lists in use (the application's table stays untouched); the fleet work
    /// that follows provisions them like any other PROVISIONING tenant. Soft-deleted rows and other engines are not.
    /// Returns the ids registered now.
    @discardableResult
    static func adopt(_ listing: TenantListing, provisioner: TenantProvisioner, context: CommandContext) async throws -> Set<String> {
        let registry = TenantRegistry(master: provisioner.master, logger: context.logger)
        let known = try await registry.prepareIfPresent() ? Set(try await registry.list().map(\.id)) : []
        var adopted: Set<String> = []
        for entry in listing.adoptable where !known.contains(entry.slug) {
            do {
                let slug = try TenantSlug(entry.slug)
                let (placement, urlDatabase) = try provisioner.servers.adoptedPlacement(server: entry.server, url: entry.url)
                // Database-per-tenant: a URL naming a database names the tenant's own.
                let name = entry.location ?? (provisioner.layout == .database ? urlDatabase : nil)
                let location = try name.map { (name: String) throws(TenantryError) in try SQLIdentifier(name) }
                let (tenant, created) = try await provisioner.register(slug, displayName: entry.name, tier: entry.tier, location: location, placement: placement)
                if created { adopted.insert(tenant.id) }
            } catch let error as TenantryError {
                context.output.warning("tenants.query listed '\(entry.id)', which cannot be adopted: \(error.message)")
            }
        }
        return adopted
    }

    static func render(_ rows: [Row], output: Output) {
        guard !rows.isEmpty else {
            output.result("Tenants: none registered (tenantry tenant create SLUG adds one)")
            return
        }
        output.result(TextTable.render(
            header: ["TENANT", "STATUS", "LAYOUT", "DATABASE/SCHEMA", "VERSION", "RESULT"],
            rows: rows.map { [$0.tenant, $0.status, $0.layout, $0.location, $0.version ?? "-", $0.outcome] }))
        for row in rows where row.error != nil {
            output.warning("\(row.tenant): \(row.error ?? "")")
        }
    }
}
