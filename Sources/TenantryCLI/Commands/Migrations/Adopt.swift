import ArgumentParser
import Foundation
import TenantryCore
import TenantryPostgres

/// `tenantry adopt [master|tenants]`: another tool's history recorded in Tenantry's, on the master and every tenant.
struct Adopt: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "adopt",
        abstract: "Record what another migration tool applied (drizzle, prisma, golang-migrate, dbmate, flyway, knex) in Tenantry's history, without running it.",
        discussion: """
        Reads the tool's table on each target (__drizzle_migrations in the target's schema or drizzle, \
        _prisma_migrations, schema_migrations, flyway_schema_history, knex_migrations) and matches its rows to the \
        files: by hash where the tool keeps one (drizzle), else by version or name, with the tool's checksum compared \
        (prisma, flyway). Matches are recorded as baseline with the tool's applied time; nothing runs. A target with a \
        failed or dirty row, a row no file matches, or a file changed since is reported and gets nothing recorded.

        Without a track: the master, then the tenants. Tenants listed by tenants.query are registered first; one that \
        has nothing left to run after its adoption becomes ACTIVE, the others are left for `migrate tenants`.
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var folder: MigrationFolderOptions

    @Argument(help: "The track: master or tenants (default: both).")
    var track: FleetTrack?

    @Option(name: .customLong("from"), help: ArgumentHelp("The tool whose history to read, when a target holds more than one.", valueName: "tool"))
    var tool: ForeignTool?

    @Flag(help: "Show what would be recorded on each target; change nothing.")
    var dryRun = false

    @Flag(help: "Adopt a file whose checksum differs from the tool's record as it is now (check the database matches it first).")
    var acceptChanged = false

    @Option(help: "Tenants adopted at once (default: migrate.concurrency, else 8).")
    var concurrency: Int?

    @OptionGroup(title: "Tenants") var selection: TenantSelection

    func validate() throws {
        if track == .master && !(selection.tenants.isEmpty && selection.filters.isEmpty) {
            throw ValidationError("--tenant and --where select tenants: `adopt tenants --tenant ID`")
        }
        if track == .tenants && folder.migrations != nil { throw ValidationError("--migrations names the master's folder; tenants use tenants.migrations") }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
    }

    func run() async throws {
        let context = try CommandContext(global)
        var rows: [AdoptRow] = []
        if track != .tenants {
            let master = try await MasterTrack.open(context, folder: folder)
            let adoption = try await master.runner.adopt(from: tool, acceptChanged: acceptChanged, dryRun: dryRun)
            rows.append(AdoptRow(target: master.runner.target.label, adoption: adoption, dryRun: dryRun, output: context.output))
        }
        if track != .master { rows += try await adoptTenants(context) }
        context.output.emitJSON(rows)
        let blocked = rows.filter { $0.outcome == "blocked" || $0.outcome == "failed" }.count
        if blocked > 0 {
            throw TenantryError.failed("\(blocked) of \(rows.count) targets were not adopted",
                                       hint: "resolve what is reported above, then run `tenantry adopt` again (adopted targets are left as they are)")
        }
    }

    private func adoptTenants(_ context: CommandContext) async throws -> [AdoptRow] {
        let provisioner = try await TenantTrack.checkedProvisioner(context)
        let listing = try await TenantTrack.listing(context, provisioner: provisioner)
        let registry = TenantRegistry(master: provisioner.master, logger: context.logger)
        if let listing {
            if dryRun {
                let known = try await registry.prepareIfPresent() ? Set(try await registry.list().map(\.id)) : []
                let unregistered = listing.adoptable.filter { !known.contains($0.slug) }.count
                if unregistered > 0 {
                    context.output.warning("\(unregistered) tenants listed by tenants.query are not registered yet: `tenantry adopt` registers them first, then adopts them")
                }
            } else {
                try await UpTenants.adopt(listing, provisioner: provisioner, context: context)
            }
        }
        let registered = try await registry.prepareIfPresent() ? try await registry.list() : []
        guard !registered.isEmpty else {
            if track == .tenants { throw TenantryError.usage("no tenant is registered", hint: "tenants.query or `tenantry tenant create` registers tenants") }
            return []
        }
        let tenants = try FleetSelection.select(registered, selection).filter { FleetSelection.skipReason($0, listing: listing) == nil }
        let results = await provisioner.adopt(tenants, from: tool, acceptChanged: acceptChanged, dryRun: dryRun,
                                              concurrency: concurrency ?? context.project.config.migrate.concurrency)
        var rows: [AdoptRow] = []
        for (tenant, result) in results {
            switch result {
            case .success(let adopted):
                var row = AdoptRow(target: "tenant \(tenant.id)", adoption: adopted.adoption, dryRun: dryRun, output: context.output)
                row.status = adopted.tenant.status.rawValue
                if adopted.activated != nil { context.output.result("tenant \(tenant.id): ACTIVE") }
                rows.append(row)
            case .failure(let error):
                let described = (error as? TenantryError) ?? TenantryError.failed(Redactor.shared.redact("\(error)"))
                // Per tenant (one holding two tools' histories needs --from): the others' outcomes are still shown.
                context.output.warning("tenant \(tenant.id): \(described.message)" + (described.hint.map { " (\($0))" } ?? ""))
                rows.append(AdoptRow(target: "tenant \(tenant.id)", outcome: "failed", error: described.message))
            }
        }
        let adopted = rows.filter { $0.outcome == "adopted" || $0.outcome == "would adopt" }.count
        context.output.result("tenants: \(dryRun ? "would adopt" : "adopted") on \(adopted) of \(rows.count)")
        return rows
    }
}

extension ForeignTool: ExpressibleByArgument {}

/// One target's line of `adopt`, printed as it is made.
struct AdoptRow: Encodable {
    var target: String
    var tool: String?
    var table: String?
    var outcome: String
    var recorded: [String] = []
    var pending: [String] = []
    var problems: [String] = []
    var status: String?
    var error: String?

    init(target: String, outcome: String, error: String) {
        self.target = target
        self.outcome = outcome
        self.error = error
    }

    init(target: String, adoption: Adoption, dryRun: Bool, output: Output) {
        self.target = target
        guard let table = adoption.table, let plan = adoption.plan else {
            outcome = "nothing to adopt"
            output.result("\(target): no other tool's history found")
            return
        }
        tool = table.tool.rawValue
        self.table = table.name
        recorded = plan.adopted.map(\.migration.version.text)
        pending = plan.pending.map(\.version.text)
        problems = plan.problems
        for note in plan.notes { output.warning("\(target): \(note)") }
        if plan.isBlocked {
            outcome = "blocked"
            for problem in plan.problems { output.warning("\(target): \(problem)") }
            output.result("\(target): nothing adopted from \(table.name) (\(plan.problems.count) problem\(plan.problems.count == 1 ? "" : "s"))")
            return
        }
        outcome = plan.adopted.isEmpty ? "already adopted" : (dryRun ? "would adopt" : "adopted")
        var line = "\(target): "
        if plan.adopted.isEmpty {
            line += "nothing new in \(table.name)"
        } else {
            let versions = plan.adopted.map(\.migration.version.text)
            line += "\(dryRun ? "would record" : "recorded") \(versions.count) migration\(versions.count == 1 ? "" : "s") applied by \(table.tool) "
                + "(\(versions.count > 3 ? "\(versions[0]) … \(versions[versions.count - 1])" : versions.joined(separator: ", "))) as baseline"
        }
        if !plan.alreadyRecorded.isEmpty { line += "; \(plan.alreadyRecorded.count) already in Tenantry's history" }
        if !plan.pending.isEmpty { line += "; \(plan.pending.count) pending (`tenantry migrate` applies them)" }
        output.result(line)
    }
}
