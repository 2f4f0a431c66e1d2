import Foundation
import TenantryCore
import TenantryPostgres

/// `tenantry status tenants`: the whole fleet's migration state, read in bulk (see `FleetHistory`): version
/// distribution, who is behind, failed, partial or drifted; `--check` exits 1 when any is.
enum StatusTenants {
    enum State: String, Encodable, CaseIterable {
        case current, behind, partial, drifted, failed, unreadable, skipped
    }

    struct Row: Encodable {
        var tenant: String
        var status: String
        var server: String?
        var state: State
        var version: String?
        var pending: [String]
        var partial: String?
        var problems: [String]
    }

    struct Report: Encodable {
        var latest: String?
        var counts: [String: Int]
        var versions: [String: Int]
        var tenants: [Row]
    }

    static func run(_ context: CommandContext, selection: TenantSelection, check: Bool) async throws {
        let provisioner = try await TenantTrack.provisioner(context)
        let registry = TenantRegistry(master: provisioner.master, logger: context.logger)
        guard try await registry.prepareIfPresent() else {
            context.output.result("No tenants yet: the master has no registry (`tenantry up` or `tenant create` makes one)")
            context.output.emitJSON(Report(latest: nil, counts: [:], versions: [:], tenants: []))
            return
        }
        let registered = try await registry.list()
        let tenants = registered.isEmpty && selection.tenants.isEmpty && selection.filters.isEmpty
            ? [] : try FleetSelection.select(registered, selection)
        let listing = try await TenantTrack.listing(context, provisioner: provisioner)
        let readable = tenants.filter { FleetSelection.skipReason($0, listing: listing) == nil }
        let histories = await FleetHistory(servers: provisioner.servers, historySchema: provisioner.historySchema,
                                           logger: context.logger).read(readable)
        let config = context.project.config
        let rows = tenants.map { tenant in
            row(tenant, history: histories[tenant.id], catalog: provisioner.tenantMigrations, allowOutOfOrder: config.migrate.allowOutOfOrder,
                listing: listing)
        }
        let report = Report(latest: provisioner.tenantMigrations.last { !$0.version.isRepeatable }?.version.text,
                            counts: Dictionary(grouping: rows, by: \.state.rawValue).mapValues(\.count),
                            versions: Dictionary(grouping: rows.filter { $0.state != .skipped }, by: { $0.version ?? "none" }).mapValues(\.count),
                            tenants: rows)
        render(report, output: context.output)
        context.output.emitJSON(report)
        let troubled = rows.filter { ![.current, .skipped].contains($0.state) }
        if check && !troubled.isEmpty {
            throw TenantryError.failed("\(troubled.count) of \(rows.count) tenants are not current",
                                       hint: "`tenantry migrate tenants` applies what is pending; `--retry-failed` reruns the failures")
        }
    }

    static func row(_ tenant: Tenant, history: Result<[AppliedMigration], TenantryError>?, catalog: [Migration], allowOutOfOrder: Bool,
                    listing: TenantListing? = nil) -> Row {
        var row = Row(tenant: tenant.id, status: tenant.status.rawValue, server: tenant.server, state: .current, version: nil,
                      pending: [], partial: nil, problems: [])
        if let reason = FleetSelection.skipReason(tenant, listing: listing) {
            row.state = .skipped
            row.problems = [reason]
            return row
        }
        switch history {
        case .failure(let error):
            row.state = .unreadable
            row.problems = [error.message]
        case nil:
            row.state = .unreadable
        case .success(let applied):
            let plan = MigrationPlan.make(catalog: catalog, applied: applied, target: nil, allowOutOfOrder: allowOutOfOrder)
            row.version = plan.current?.text
            row.pending = plan.pending.map(\.version.text)
            row.partial = plan.partial?.version.text
            row.problems = plan.problems.map(\.message)
            row.state = plan.partial != nil ? .partial : !plan.problems.isEmpty ? .drifted : !plan.pending.isEmpty ? .behind : .current
        }
        // The registry's FAILED wins: the last run on it failed, whatever its history says now.
        if tenant.status == .failed || tenant.status == .provisioning { row.state = .failed }
        return row
    }

    static func render(_ report: Report, output: Output) {
        let total = report.tenants.count
        guard total > 0 else {
            output.result("No tenants registered (tenantry tenant create SLUG adds one)")
            return
        }
        output.result("Tenants: \(total); tenant track latest \(report.latest ?? "(no migrations)")")
        for state in State.allCases {
            guard let count = report.counts[state.rawValue], count > 0 else { continue }
            output.result("  \(state.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(count)")
        }
        let versions = report.versions.sorted { $0.key > $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        if !versions.isEmpty { output.result("Versions: \(versions)") }
        for state in [State.behind, .partial, .drifted, .failed, .unreadable, .skipped] {
            let rows = report.tenants.filter { $0.state == state }
            guard !rows.isEmpty else { continue }
            output.result("\(state.rawValue.capitalized):")
            for row in rows.prefix(20) { output.result("  \(describe(row))") }
            if rows.count > 20 { output.result("  ... and \(rows.count - 20) more (--json lists them all)") }
        }
    }

    private static func describe(_ row: Row) -> String {
        if row.state == .skipped { return "\(row.tenant): \(row.problems.first ?? "skipped")" }
        var text = "\(row.tenant) at \(row.version ?? "none")"
        if !row.pending.isEmpty { text += ", \(row.pending.count) pending (\(row.pending.prefix(3).joined(separator: ", "))\(row.pending.count > 3 ? ", ..." : ""))" }
        if let partial = row.partial { text += ", \(partial) partially applied" }
        if row.state == .failed { text += " (registry \(row.status); `tenantry tenant show \(row.tenant)` has the error)" }
        if let problem = row.problems.first { text += ": \(problem.split(separator: "\n").first ?? "")" }
        return text
    }
}
