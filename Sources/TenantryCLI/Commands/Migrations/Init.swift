import ArgumentParser
import Foundation
import TenantryCore

/// `tenantry init`: scaffold tenantry.yml and the migration and seed folders.
struct Init: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        abstract: "Create tenantry.yml and the folders migrations/{master,tenant} and seeds/{master,tenant}; keeps what exists."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "database: one database per tenant; schema: one schema per tenant in a shared database.")
    var layout: Config.Layout = .schema

    func run() throws {
        let context = try CommandContext(global)
        let root = FileManager.default.currentDirectoryPath
        var created: [String] = []
        for folder in ["migrations/master", "migrations/tenant", "seeds/master", "seeds/tenant"] {
            let path = "\(root)/\(folder)"
            if !FileManager.default.fileExists(atPath: path) {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                created.append(folder + "/")
            }
        }
        let config = "\(root)/tenantry.yml"
        if FileManager.default.fileExists(atPath: config) {
            context.output.note("tenantry.yml exists; left as it is")
        } else {
            try Self.configTemplate(layout: layout).write(toFile: config, atomically: true, encoding: .utf8)
            created.append("tenantry.yml")
        }
        context.output.result(created.isEmpty ? "Nothing to create: the project is already set up" : "Created " + created.joined(separator: ", "))
        context.output.result("Next: `tenantry new master create_accounts`, then `tenantry up`")
        context.output.emitJSON(["created": created])
    }

    static func configTemplate(layout: Config.Layout) -> String {
        """
        # Tenantry project settings. Values may use ${VAR}, ${VAR:-default} and ${VAR:?message}.
        layout: \(layout.rawValue)                 # database: a database per tenant; schema: a schema per tenant
        master:
          # url: ${DATABASE_URL}       # absent everywhere: the managed local PostgreSQL in .tenantry/
          migrations: migrations/master
          seeds: seeds/master
        tenants:
          migrations: migrations/tenant
          seeds: seeds/tenant
          naming: "t_{hash}"
        migrate:
          lock_timeout: 5s             # SET LOCAL lock_timeout while a migration runs
          lock_wait: 60s               # how long to wait for another run on the same target
        # environments:
        #   prod:
        #     guard: true
        #     master:
        #       url: ${PROD_DATABASE_URL:?set PROD_DATABASE_URL}

        """
    }
}

extension Config.Layout: ExpressibleByArgument {}
