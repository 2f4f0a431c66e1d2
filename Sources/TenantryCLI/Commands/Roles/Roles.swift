import ArgumentParser

/// `tenantry roles`: the per-tenant roles of the `roles:` policy in tenantry.yml.
struct Roles: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roles",
        abstract: "Manage each tenant's owner, read-write and read-only roles (roles: in tenantry.yml).",
        subcommands: [RolesApply.self]
    )
}
