import ArgumentParser
import Foundation
import TenantryCore
import TenantryPostgres

/// `tenantry validate`: every check `migrate` makes, on the master track and the tenant track, without applying anything.
struct Validate: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        abstract: "Parse every migration of both tracks (up and down) and check the histories for edited, deleted, out-of-order and partial files.",
        discussion: """
        The tenant track's histories are read in bulk from every tenant that is not SUSPENDED, DROPPING or DELETED. \
        With --offline, only the files are checked (no server needed). Exits 1 naming every file and tenant with a problem.
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var folder: MigrationFolderOptions

    @Flag(help: "Check the files only; do not read the histories from the server.")
    var offline = false

    @Flag(help: "Schema layout: a tenant file's catalog lookup without a schema filter is an error, not a warning.")
    var strict = false

    struct Report: Encodable {
        var track: String
        var migrations: Int
        var statements: Int
        var problems: [String]
    }

    /// A report and the errors behind its problems, thrown as `migrate` would throw them.
    struct Checked {
        var report: Report
        var errors: [TenantryError]
    }

    func run() async throws {
        let context = try CommandContext(global)
        let masterFolder = MasterTrack.directory(context, folder: folder)
        let masterCatalog = FileManager.default.fileExists(atPath: masterFolder) || folder.migrations != nil
            ? try MasterTrack.loadCatalog(context, folder: folder) : nil
        var checked: [Checked] = []
        if let masterCatalog {
            var master = Self.checkFiles(masterCatalog.migrations, track: "master", format: masterCatalog.format, context: context)
            if !offline && master.errors.isEmpty {
                let track = try MasterTrack.open(context, catalog: masterCatalog, master: try await MasterServer.resolve(context))
                let (plan, _) = try await track.runner.plan(.init(allowOutOfOrder: context.project.config.migrate.allowOutOfOrder))
                do {
                    try plan.check()
                    context.output.result("\(track.runner.target.label): history consistent (\(plan.summary))")
                } catch {
                    master.errors.append(error)
                }
            }
            checked.append(master)
        }
        let tenantMigrations = try TenantTrack.catalog(context)
        if !tenantMigrations.isEmpty {
            var tenant = Self.checkFiles(tenantMigrations, track: "tenant", format: nil, context: context)
            if context.project.config.layout == .schema && tenant.errors.isEmpty {
                tenant.errors += try schemaLayoutChecks(tenantMigrations, context: context)
            }
            if !offline && tenant.errors.isEmpty { tenant.errors += try await tenantHistoryProblems(context) }
            checked.append(tenant)
        }
        context.output.emitJSON(checked.map { checked in
            var report = checked.report
            report.problems = checked.errors.map(\.message)
            return report
        })
        let errors = checked.flatMap(\.errors)
        if errors.count == 1 { throw errors[0] }
        guard errors.isEmpty else {
            let lines = errors.map { "- \($0.message)" + ($0.hint.map { "\n  hint: \($0)" } ?? "") }
            throw TenantryError(errors.contains { $0.kind == .setup } ? .setup : .failed,
                                "\(errors.count) problems found; nothing was applied:\n" + lines.joined(separator: "\n"),
                                hint: "fix each one, then run `tenantry validate` again")
        }
    }

    /// Every up and down section parsed and checked as it will run; one problem per file that cannot.
    static func checkFiles(_ migrations: [Migration], track: String, format: MigrationFormat?, context: CommandContext) -> Checked {
        var statements = 0
        var errors: [TenantryError] = []
        for migration in migrations {
            for script in [migration.up] + (migration.down.map { [$0] } ?? []) {
                do {
                    let prepared = try StatementAnalyzer.statements(of: script)
                    try StatementAnalyzer.validate(prepared, script: script)
                    statements += prepared.count
                } catch {
                    // The master's errors read as `migrate` prints them; the tenant track's say which track.
                    var error = error
                    if track != "master" { error.message = "\(track) track: \(error.message)" }
                    errors.append(error)
                }
            }
        }
        if errors.isEmpty {
            let formatNote = format.map { " (\($0.rawValue) format)" } ?? ""
            context.output.result("\(track) track: \(migrations.count) migrations\(formatNote), \(statements) statements: all parse")
        }
        return Checked(report: Report(track: track, migrations: migrations.count, statements: statements, problems: []), errors: errors)
    }

    /// Schema layout: catalog lookups without a schema filter (warnings, errors with --strict); with -v, each
    /// statement the layout rewrites, as it runs in a tenant's schema.
    private func schemaLayoutChecks(_ migrations: [Migration], context: CommandContext) throws -> [TenantryError] {
        if global.verbose > 0 {
            let tenancy = try SchemaTenancy(track: migrations, config: context.project.config.tenants)
            for rewrite in tenancy.rewrites(of: migrations, in: try SQLIdentifier("<tenant schema>")) {
                context.output.result("\(rewrite.file):\(rewrite.line): runs as: \(rewrite.sql)")
            }
        }
        let findings = CatalogLookupCheck.findings(in: migrations)
        guard strict else {
            for finding in findings { context.output.warning("tenant track: \(finding.message)") }
            return []
        }
        return findings.map { TenantryError(.failed, "tenant track: \($0.message)", hint: CatalogLookupCheck.Finding.hint) }
    }

    /// Each tenant's history against the tenant track, read in bulk: one error per tenant with a problem.
    private func tenantHistoryProblems(_ context: CommandContext) async throws -> [TenantryError] {
        let provisioner = try await TenantTrack.provisioner(context)
        let registry = TenantRegistry(master: provisioner.master, logger: context.logger)
        guard try await registry.prepareIfPresent() else { return [] }
        let tenants = try await registry.list().filter { FleetSelection.skipReason($0) == nil }
        let options = MigrationRunner.Options(allowOutOfOrder: context.project.config.migrate.allowOutOfOrder)
        let plans = await provisioner.plans(tenants, options: options)
        var errors: [TenantryError] = []
        for tenant in tenants {
            switch plans[tenant.id] {
            case .success(let plan):
                errors += plan.problems.map { TenantryError(.setup, "tenant \(tenant.id): \($0.message)", hint: $0.hint) }
            case .failure(let error):
                errors.append(TenantryError(error.kind, "tenant \(tenant.id): \(error.message)", hint: error.hint))
            case nil:
                break
            }
        }
        if errors.isEmpty { context.output.result("tenants: \(tenants.count) histories consistent with the tenant track") }
        return errors
    }
}
