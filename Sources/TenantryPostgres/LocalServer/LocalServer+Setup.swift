import Foundation
import Logging
import PostgresNIO
import TenantryCore

extension LocalServer {
    /// `initdb` into `.tenantry/postgres/data`, then Tenantry's settings in an included file.
    func initialize(_ binaries: PostgresBinaries) throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: dataDirectory) {
            // A half-made cluster from an interrupted initdb: nothing in it is worth keeping.
            try manager.removeItem(atPath: dataDirectory)
        }
        for directory in [baseDirectory, socketDirectory] {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                        attributes: [.posixPermissions: 0o700])
            try runner.giveOwnership(of: directory)
        }
        try checkClusterUserCanWrite()
        let output = try runner.run(binaries.initdb, [
            "-D", dataDirectory, "-U", Self.superuser, "--auth-local=trust", "--auth-host=trust",
            "--encoding=UTF8", "--locale=C",
        ])
        guard output.status == 0 else {
            throw TenantryError.setup("initdb failed for the managed local PostgreSQL:\n\(output.text.suffix(2000))",
                                      hint: "remove \(baseDirectory) and try again")
        }
        let include = "\n# Added by Tenantry: its settings live in tenantry.conf\ninclude_if_exists = 'tenantry.conf'\n"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(dataDirectory)/postgresql.conf"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(include.utf8))
        try handle.close()
        try writeSettings(port: LocalPort.pickFree() ?? 54329)
        logger.debug("initialized the managed local PostgreSQL", metadata: ["directory": "\(dataDirectory)"])
    }

    /// Keeps the port stable across restarts; moves only when something else took it.
    func choosePort() throws -> Int {
        if let port = configuredPort, LocalPort.isFree(port) { return port }
        guard let port = LocalPort.pickFree() else {
            throw TenantryError.setup("no free TCP port on 127.0.0.1 for the managed local PostgreSQL")
        }
        try writeSettings(port: port)
        return port
    }

    func writeSettings(port: Int) throws {
        let socketDirectories = socketUsable ? socketDirectory : ""
        let text = """
        # Managed by Tenantry (tenantry dev); rewritten when the port has to change.
        port = \(port)
        listen_addresses = '127.0.0.1'
        unix_socket_directories = '\(socketDirectories)'
        max_connections = 200
        # A development server: a crash may lose the last transactions, never corrupt data.
        synchronous_commit = off

        """
        try text.write(toFile: settingsFile, atomically: true, encoding: .utf8)
        try runner.giveOwnership(of: settingsFile)
    }

    /// The seeds' Docker init script creates this role; local tools expect it.
    func ensureDevRole(port: Int) async throws {
        let connector = try PostgresConnector(settings: connectionSettings(port: port), logger: logger)
        try await connector.withConnection { connection in
            let role = try SQLIdentifier(Self.devRole)
            let exists = try await connection.query("SELECT 1 FROM pg_roles WHERE rolname = \(role.name)", logger: logger)
                .collect().isEmpty == false
            if !exists {
                try await connection.execute("CREATE ROLE \(role.quoted) LOGIN CREATEDB PASSWORD 'dev'", logger: logger)
            }
        }
    }

    /// When we run as root the cluster belongs to `postgres`, which must reach the project folder.
    private func checkClusterUserCanWrite() throws {
        guard let user = runner.runAsUser else { return }
        let probe = try ProcessRunner(runAsUser: user).run("/usr/bin/test", ["-w", baseDirectory])
        guard probe.status == 0 else {
            throw TenantryError.setup(
                "the \(user) system user cannot write to \(baseDirectory): a parent folder is not accessible to it",
                hint: "make the project's parent folders traversable (chmod o+x), or run tenantry as an ordinary user")
        }
    }
}
