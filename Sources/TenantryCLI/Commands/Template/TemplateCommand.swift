import ArgumentParser

/// `tenantry template`: the template database new tenants are cloned from (`tenants.provision: template`).
struct TemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Build the template database new tenant databases are cloned from (tenants.provision: template).",
        subcommands: [TemplateRefresh.self]
    )
}
