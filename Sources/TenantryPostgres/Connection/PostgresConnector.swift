import Foundation
import Logging
import NIOCore
import PostgresNIO
import TenantryCore

/// Opens connections described by `ConnectionSettings`, turning driver errors into clear, redacted ones.
public struct PostgresConnector: Sendable {
    public let settings: ConnectionSettings
    public let logger: Logger
    let configuration: PostgresConnection.Configuration

    public init(settings: ConnectionSettings, logger: Logger) throws(TenantryError) {
        self.settings = settings
        self.logger = logger
        Redactor.shared.register(settings.password)
        let tls = try TLSContextFactory.tls(for: settings)
        var configuration: PostgresConnection.Configuration
        switch settings.endpoint {
        case .tcp(let host, let port):
            configuration = .init(host: host, port: port, username: settings.user, password: settings.password,
                                  database: settings.database, tls: tls)
        case .unixSocket(let directory, let port):
            configuration = .init(unixSocketPath: "\(directory)/.s.PGSQL.\(port)", username: settings.user,
                                  password: settings.password, database: settings.database)
        }
        let timeout = settings.connectTimeout.flatMap { $0 > 0 ? $0 : nil } ?? 10
        configuration.options.connectTimeout = .seconds(Int64(timeout))
        configuration.options.additionalStartupParameters = [("application_name", settings.applicationName ?? "tenantry")]
        self.configuration = configuration
    }

    /// A connector to another database on the same server with the same credentials.
    public func to(database: String) throws(TenantryError) -> PostgresConnector {
        try PostgresConnector(settings: settings.with(database: database), logger: logger)
    }

    /// Runs `body` on a fresh connection and closes it afterwards, whatever happens (or, for a database
    /// `ConnectionReuse` keeps, on an idle connection that goes back after a successful body).
    ///
    /// - Parameter runsUserSQL: the body runs the project's SQL (migrations, seeds), which may leave session
    ///   state behind (`SET`, temporary tables), so a kept connection is reset with `DISCARD ALL` before reuse.
    ///   Tenantry's own statements leave none.
    public func withConnection<Result: Sendable>(
        runsUserSQL: Bool = false, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let reuse = ConnectionReuse.shared.isReused(settings)
        let connection: PostgresConnection
        if reuse, let idle = ConnectionReuse.shared.take(settings) {
            connection = idle
        } else {
            connection = try await connect()
        }
        do {
            let result = try await body(connection)
            if reuse {
                await ConnectionReuse.shared.giveBack(connection, settings: settings, resetting: runsUserSQL, logger: logger)
            } else {
                try? await connection.close()
            }
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// A connection the caller owns and closes (`SharedConnection`).
    func open() async throws -> PostgresConnection {
        try await connect()
    }

    /// The server full (53300: too many connections, perhaps from other clients) or starting up after a restart
    /// (57P03) is usually brief: a few tries with backoff (about 6 seconds in all) before giving up.
    static let busyServerDelays: [Duration] = [.milliseconds(100), .milliseconds(300), .milliseconds(600), .seconds(1), .seconds(1.5), .seconds(2.5)]

    private func connect() async throws -> PostgresConnection {
        var delays = Self.busyServerDelays.makeIterator()
        while true {
            do {
                let connection = try await PostgresConnection.connect(on: ClientLoop.shared.eventLoop, configuration: configuration, id: 1, logger: logger)
                if !PoolingProbe.isVerified(settings) {
                    do {
                        try await PoolingProbe.verify(connection, configuration: configuration, settings: settings, logger: logger)
                    } catch {
                        try? await connection.close()
                        throw error
                    }
                }
                return connection
            } catch let error as TenantryError {
                throw error
            } catch let error as PSQLError where ["53300", "57P03"].contains(error.serverInfo?[.sqlState] ?? "") {
                guard let delay = delays.next() else { throw PostgresErrorDescriber.connectionError(error, settings: settings) }
                logger.debug("server busy or starting, retrying", metadata: ["server": "\(settings.serverDescription)",
                                                                               "sqlstate": "\(error.serverInfo?[.sqlState] ?? "")"])
                try await Task.sleep(for: delay)
            } catch {
                throw PostgresErrorDescriber.connectionError(error, settings: settings)
            }
        }
    }
}
