import ArgumentParser
import TenantryCore
import TenantryPostgres

/// `tenantry preview create [--branch NAME]`: the branch's master database and sample tenants, migrated and seeded.
struct PreviewCreate: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Make (or bring up to date) the branch's preview: its master database and the sample tenants.",
        discussion: """
        Names come from the branch: feature/user-dashboard on master database app gives feature_user_dashboard_app \
        (tenant databases get the same prefix). The master database starts as a copy of preview.template when set; \
        tenants clone the project's template with tenants.provision: template. Then the branch's migrations and \
        (unless preview.seed: false) seeds are applied. Running it again applies only what is new.
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var branchOption: BranchOption

    func run() async throws {
        let context = try CommandContext(global)
        let output = context.output
        let branch = try PreviewSupport.branch(branchOption.branch, context: context)
        let master = try await MasterServer.resolve(context)
        let base = master.databaseName.name
        let catalog = try PreviewCatalog(server: master.connector, logger: context.logger)
        let existing = try await catalog.list(base: base)
        let name = try PreviewName(branch: branch, base: base, taken: Dictionary(existing.map { ($0.database, $0.branch) },
                                                                                  uniquingKeysWith: { first, _ in first }))
        let settings = context.project.config.preview
        let database = try SQLIdentifier(name.master)
        let template = try settings.template.map { (name: String) throws(TenantryError) in try SQLIdentifier(name) }
        let created = try await DatabaseAdmin(server: master.connector).ensureDatabase(database, template: template)
        try await catalog.mark(database, branch: branch, base: base)
        output.result("Preview of \(branch): database \(database) \(created ? "created" + (template.map { " from \($0)" } ?? "") : "exists")")

        let preview = context.step(with: PreviewSupport.config(for: name, base: base, context: context))
        let provisioner = try await TenantTrack.provisioner(preview)
        var tenants: [String] = []
        for slug in settings.tenants {
            let result = try await provisioner.create(try TenantSlug(slug), onStep: { output.note("  \(slug): \(TenantTrack.describe($0))") })
            tenants.append(result.tenant.placeDescription)
        }
        try await Up.up(preview, folder: try MigrationFolderOptions.parse([]), seed: settings.seed)
        output.emitJSON(PreviewReport(branch: branch, database: name.master, created: created, tenants: tenants))
    }
}

private struct PreviewReport: Encodable {
    let branch: String
    let database: String
    let created: Bool
    let tenants: [String]
}
