import ArgumentParser
import TenantryCore

/// `tenantry`: provision and migrate multi-tenant PostgreSQL fleets.
public struct TenantryCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tenantry",
        abstract: "Provision and migrate multi-tenant PostgreSQL fleets: one master database plus a database or schema per tenant.",
        discussion: """
        With no server configured (--url, TENANTRY_DATABASE_URL, DATABASE_URL, master.url in tenantry.yml, or PGHOST), \
        commands that need one start the managed local PostgreSQL in .tenantry/postgres.

        Exit codes: 0 all good; 1 something failed or a check failed; 2 the run could not start \
        (configuration, connection, lock); 64 bad usage.
        """,
        version: TenantryVersion.current,
        subcommands: [Init.self, Up.self, Down.self, Reset.self, Migrate.self, Status.self, Rollback.self, New.self, Validate.self, MarkApplied.self, Adopt.self, TenantCommand.self, Roles.self, Runs.self, EnvCommand.self, DatabaseCommand.self, TemplateCommand.self, PreviewCommand.self, Wait.self, Dev.self]
    )

    public init() {}
}
