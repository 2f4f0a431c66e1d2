import Logging
import PostgresNIO
import Synchronization
import TenantryCore

/// Keeps connections to a few shared databases open between uses during fleet work: provisioning or migrating
/// a thousand tenant schemas would otherwise start several thousand server backends.
///
/// Opt-in per database (the master database, and the databases holding tenant schemas): tenant databases of
/// the database layout are used once per run, so their connections are never kept. A connection goes back
/// to the pool only after a body that succeeded; after the project's SQL ran on it, only after `DISCARD ALL`
/// (session settings, temporary tables, advisory locks and prepared statements gone), so no tenant sees
/// another's session. A failure closes it. The pool never opens a connection while one is idle, so it holds at most as many as were in use
/// at once, which the fleet's per-server budget bounds.
public final class ConnectionReuse: Sendable {
    public static let shared = ConnectionReuse()

    private struct State {
        var databases: Set<String> = []
        var idle: [String: [PostgresConnection]] = [:]
    }

    private let state = Mutex(State())

    /// Starts keeping connections to these databases (by name, on any server).
    public func enable(databases: Set<String>) {
        state.withLock { $0.databases.formUnion(databases) }
    }

    /// Stops keeping connections, and closes the idle ones.
    public func closeAll() async {
        let idle = state.withLock { state -> [PostgresConnection] in
            let all = state.idle.values.flatMap { $0 }
            state = State()
            return all
        }
        for connection in idle { try? await connection.close() }
    }

    func isReused(_ settings: ConnectionSettings) -> Bool {
        state.withLock { $0.databases.contains(settings.database) }
    }

    /// An idle connection for these settings, if one is open.
    func take(_ settings: ConnectionSettings) -> PostgresConnection? {
        let key = Self.key(settings)
        return state.withLock { state in
            while let connection = state.idle[key]?.popLast() {
                if !connection.isClosed { return connection }
            }
            return nil
        }
    }

    /// Returns a connection after a successful use; closes it when it cannot be cleaned.
    func giveBack(_ connection: PostgresConnection, settings: ConnectionSettings, resetting: Bool, logger: Logger) async {
        do {
            if resetting { try await connection.execute("DISCARD ALL", logger: logger) }
        } catch {
            try? await connection.close()
            return
        }
        let key = Self.key(settings)
        state.withLock { $0.idle[key, default: []].append(connection) }
    }

    /// Where a connection goes and as whom; cheaper than `redactedDescription`, which is built for people.
    private static func key(_ settings: ConnectionSettings) -> String {
        let endpoint = switch settings.endpoint {
        case .tcp(let host, let port): "\(host):\(port)"
        case .unixSocket(let directory, let port): "\(directory)/.s.PGSQL.\(port)"
        }
        return "\(endpoint)\u{0}\(settings.user)\u{0}\(settings.database)\u{0}\(settings.sslMode.rawValue)"
    }
}
