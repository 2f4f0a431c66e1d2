import Foundation
import Logging
import TenantryCore

/// The managed local PostgreSQL: a private cluster in `<project>/.tenantry/postgres`, used when no server
/// is configured anywhere. Trust authentication, listening only on 127.0.0.1 and a socket inside the folder.
public struct LocalServer: Sendable {
    public let projectRoot: String
    let environment: [String: String]
    let logger: Logger
    let runner: ProcessRunner

    public init(projectRoot: String, environment: [String: String], logger: Logger) {
        self.projectRoot = projectRoot
        self.environment = environment
        self.logger = logger
        self.runner = .forCurrentUser()
    }

    public var baseDirectory: String { "\(projectRoot)/.tenantry/postgres" }
    var dataDirectory: String { "\(baseDirectory)/data" }
    var socketDirectory: String { "\(baseDirectory)/run" }
    public var logFile: String { "\(baseDirectory)/server.log" }
    var settingsFile: String { "\(dataDirectory)/tenantry.conf" }
    var lockFile: String { "\(projectRoot)/.tenantry/postgres.lock" }

    public static let superuser = "postgres"
    public static let devRole = "local_dev"

    public var isCreated: Bool {
        FileManager.default.fileExists(atPath: "\(dataDirectory)/PG_VERSION")
    }

    /// The port written in the cluster's settings, if the cluster exists.
    var configuredPort: Int? {
        guard let text = try? String(contentsOfFile: settingsFile, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").lazy
            .compactMap { line -> Int? in
                let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                return parts.count == 2 && parts[0] == "port" ? Int(parts[1]) : nil
            }.first
    }

    /// Unix socket paths are limited to about 104 bytes; deep project folders fall back to TCP only.
    var socketUsable: Bool {
        "\(socketDirectory)/.s.PGSQL.65535".utf8.count < 100
    }

    /// How Tenantry connects to this server: the socket when possible, else 127.0.0.1.
    public func connectionSettings(port: Int, database: String = "postgres") -> ConnectionSettings {
        let endpoint: ConnectionSettings.Endpoint = socketUsable
            ? .unixSocket(directory: socketDirectory, port: port) : .tcp(host: "127.0.0.1", port: port)
        return ConnectionSettings(endpoint: endpoint, user: Self.superuser, database: database, sslMode: .disable,
                                  applicationName: "tenantry")
    }

    /// The URL a user can give psql or an application (TCP; trust authentication, so no password).
    public func url(port: Int, database: String = "postgres") -> String {
        "postgresql://\(Self.superuser)@127.0.0.1:\(port)/\(database)"
    }
}
