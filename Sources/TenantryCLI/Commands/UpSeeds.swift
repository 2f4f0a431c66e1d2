import Foundation
import TenantryCore
import TenantryPostgres

/// `up --seed`: the seed folders, applied once per target (tracked in each target's `tenantry_seeds`).
struct UpSeeds: Sendable {
    let master: SeedCatalog
    let tenant: SeedCatalog

    static func load(_ context: CommandContext) throws(TenantryError) -> UpSeeds {
        let config = context.project.config
        func folder(_ path: String) -> String { path.hasPrefix("/") ? path : context.project.root + "/" + path }
        return UpSeeds(master: try SeedCatalog.load(directory: folder(config.master.seeds)),
                       tenant: try SeedCatalog.load(directory: folder(config.tenants.seeds)))
    }

    /// "2 seeds applied", "up to date", with a warning per changed seed (seeds are data: never re-run).
    static func describe(_ report: SeedReport, output: Output) -> String {
        for warning in report.warnings { output.warning(warning) }
        if report.applied.isEmpty { return report.skipped.isEmpty && report.changed.isEmpty ? "no seeds" : "seeds up to date" }
        return "\(report.applied.count) seed\(report.applied.count == 1 ? "" : "s") applied"
    }
}
