import ArgumentParser
import Foundation
import TenantryCore
import TenantryPostgres

/// `tenantry status [master]`: applied, pending, partial and problems per target.
struct Status: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        abstract: "Show applied and pending migrations; --check exits 1 when anything is pending, partial or drifted."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var folder: MigrationFolderOptions

    @Argument(help: "The track to inspect: master, or tenants (the whole fleet, read in bulk).")
    var track: FleetTrack = .master

    @OptionGroup(title: "Tenants") var selection: TenantSelection

    @Flag(help: "Exit 1 when anything is pending, partial, edited, deleted or out of order.")
    var check = false

    func validate() throws {
        if track == .master && !(selection.tenants.isEmpty && selection.filters.isEmpty) {
            throw ValidationError("--tenant and --where go with `status tenants`")
        }
        if track == .tenants && folder.migrations != nil {
            throw ValidationError("--migrations names the master's folder; tenants use tenants.migrations")
        }
    }

    func run() async throws {
        let context = try CommandContext(global)
        if track == .tenants {
            return try await StatusTenants.run(context, selection: selection, check: check)
        }
        let master = try await MasterTrack.open(context, folder: folder)
        let (plan, applied) = try await master.runner.plan()
        let output = context.output
        let label = master.runner.target.label
        output.result("\(label): \(plan.summary)")
        let appliedVersions = Set(applied.map(\.version))
        for migration in master.catalog.migrations {
            let row = applied.first { $0.version == migration.version }
            let state: String
            if let row, row.isPartial {
                state = output.paint("partial \(row.statementsApplied ?? 0)/\(row.statementsTotal ?? 0)", .red)
            } else if let row {
                state = output.paint(row.kind == .baseline ? "baseline" : "applied", .green)
            } else {
                state = output.paint("pending", .yellow)
            }
            output.result("  \(migration.version.text.padding(toLength: 16, withPad: " ", startingAt: 0)) \(state)  \(migration.file)")
        }
        for row in applied where !master.catalog.migrations.contains(where: { $0.version == row.version }) {
            output.result("  \(row.version.text.padding(toLength: 16, withPad: " ", startingAt: 0)) \(output.paint("file missing", .red))  \(row.name)")
        }
        for problem in plan.problems { output.warning("\(problem.message)\n  hint: \(problem.hint)") }
        output.emitJSON(StatusReport(target: label, current: plan.current?.text, applied: appliedVersions.count,
                                     pending: plan.pending.map(\.version.text), partial: plan.partial?.version.text,
                                     problems: plan.problems.map(\.message)))
        if check && !(plan.isUpToDate && plan.problems.isEmpty) {
            let error = TenantryError.failed("\(label) is not current: \(plan.summary)")
            guard output.json else { throw error }
            // The status document above is the JSON result; a second (error) document would make stdout unparsable.
            FileHandle.standardError.write(Data("error: \(Redactor.shared.redact(error.message))\n".utf8))
            throw ExitCode(error.exitCode)
        }
    }
}

struct StatusReport: Encodable {
    var target: String
    var current: String?
    var applied: Int
    var pending: [String]
    var partial: String?
    var problems: [String]
}
