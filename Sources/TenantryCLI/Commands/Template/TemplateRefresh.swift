import ArgumentParser
import TenantryCore
import TenantryPostgres

/// `tenantry template refresh`: the template at the latest tenant version, swapped in atomically.
struct TemplateRefresh: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Build the template database at the latest tenant version and swap it in for the old one.",
        discussion: """
        Needs tenants.provision: template. Database layout: the template database (tenants.template, default \
        <master database>_template) is built beside the old one with the configured owner and extensions and every \
        tenant migration, then swapped in while no clone runs; it is marked IS_TEMPLATE and refuses connections, \
        so CREATE DATABASE ... TEMPLATE never finds anyone connected to it. Schema layout: a template schema \
        (default tenant_template) in the master database, copied into new tenant schemas by one statement each; \
        a refresh fails, keeping nothing, when a copy of it would differ from it. Tenants created later get only the \
        migrations the template lacks. Run it after adding tenant migrations (e.g. in the deploy that adds them).
        """
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let context = try CommandContext(global)
        let config = context.project.config
        guard config.tenants.provision == .template else {
            throw TenantryError.usage("template refresh needs tenants.provision: template in \(context.project.configFile.map(context.display) ?? "tenantry.yml")",
                                      hint: "set tenants.provision: template (and optionally tenants.template: NAME)")
        }
        let provisioner = try await TenantTrack.checkedProvisioner(context)
        let clock = ContinuousClock()
        let started = clock.now
        let refreshed: TemplateDatabase.Refreshed
        let name: SQLIdentifier
        do {
            if let template = provisioner.cloneTemplate {
                name = template.name
                context.output.note("Building template database \(name) from \(provisioner.tenantMigrations.count) tenant migrations")
                refreshed = try await template.refresh(owner: provisioner.databaseOwner, extensions: provisioner.extensions,
                                                       migrations: provisioner.tenantMigrations, historySchema: provisioner.historySchema,
                                                       timeouts: provisioner.timeouts)
            } else if let template = provisioner.cloneSchemaTemplate {
                name = template.name
                context.output.note("Building template schema \(name) from \(provisioner.tenantMigrations.count) tenant migrations")
                refreshed = try await template.refresh(extensions: provisioner.extensions, migrations: provisioner.tenantMigrations,
                                                       timeouts: provisioner.timeouts, tenancy: provisioner.tenancy)
            } else {
                preconditionFailure("provision: template sets a template")
            }
        } catch let error as TenantryError {
            throw error
        } catch {
            throw PostgresErrorDescriber.queryError(error, doing: "refreshing the template", kind: .setup)
        }
        let seconds = (clock.now - started).components.seconds
        let version = refreshed.version?.text ?? "no migrations"
        context.output.result("Template \(name) \(refreshed.replaced ? "refreshed" : "created") at \(version) "
            + "(\(refreshed.migrations) migration\(refreshed.migrations == 1 ? "" : "s"), \(seconds) s)")
        context.output.emitJSON(RefreshReport(template: name.name, version: refreshed.version?.text,
                                              migrations: refreshed.migrations, replaced: refreshed.replaced))
    }
}

private struct RefreshReport: Encodable {
    let template: String
    let version: String?
    let migrations: Int
    let replaced: Bool
}
