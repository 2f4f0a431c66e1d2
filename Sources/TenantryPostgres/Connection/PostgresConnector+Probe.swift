import PostgresNIO
import TenantryCore

extension PostgresConnector {
    /// Why a connection attempt failed, and whether trying again later could help.
    public struct ProbeFailure: Error, Sendable {
        public var error: TenantryError
        /// The server is not (yet) reachable or is starting; a bad password or database is not retryable.
        public var retryable: Bool
    }

    /// Refused, reset or timed out, starting up (57P03) or full (53300): worth another try. TLS refusals,
    /// authentication and missing databases are not.
    static func isRetryable(_ error: any Error) -> Bool {
        guard let psql = error as? PSQLError else { return true }
        switch psql.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown: return true
        case .server: return ["57P03", "53300"].contains(psql.serverInfo?[.sqlState] ?? "")
        default: return false
        }
    }

    /// Connects once and asks for the server's version.
    public func probe() async -> Result<String, ProbeFailure> {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch {
            let retryable = Self.isRetryable(error)
            return .failure(ProbeFailure(error: PostgresErrorDescriber.connectionError(error, settings: settings), retryable: retryable))
        }
        let result: Result<String, ProbeFailure>
        do {
            let rows = try await connection.query("SHOW server_version", logger: logger).collect()
            result = .success(try rows.first?.decode(String.self) ?? "unknown")
        } catch {
            result = .failure(ProbeFailure(error: PostgresErrorDescriber.queryError(error, doing: "asking the server version"), retryable: false))
        }
        try? await connection.close()
        return result
    }
}
