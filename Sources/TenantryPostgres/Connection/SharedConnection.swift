import PostgresNIO

/// One connection that concurrent callers share for single statements, each its own implicit transaction:
/// PostgresNIO queues their queries on it. A fleet run provisioning tenant schemas registers and activates them
/// through it instead of a pooled connection per tenant in flight. Every backend connected to a database must
/// process the catalog invalidations of every `CREATE` there, idle ones too, and whatever cache they lose they
/// rebuild on their next statement: five more such backends cost a thousand-tenant provisioning 10–17% of its
/// time.
///
/// Never for a transaction (BEGIN … COMMIT) or for session state: other callers' statements run between. A
/// statement that waits (a row lock held elsewhere) holds up the ones queued behind it.
public actor SharedConnection {
    public let connector: PostgresConnector
    private var connection: PostgresConnection?
    private var opening: Task<PostgresConnection, any Error>?

    public init(connector: PostgresConnector) {
        self.connector = connector
    }

    /// Runs `body`'s statements on the shared connection, opened on first use. A connection that fails (not a
    /// statement: the server reported nothing) is dropped, and the next call opens another.
    public nonisolated func run<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        let connection = try await current()
        do {
            return try await body(connection)
        } catch {
            if (error as? PSQLError)?.serverInfo == nil { await drop(connection) }
            throw error
        }
    }

    /// Closes the connection; a later `run` opens a new one.
    public func close() async {
        let open = connection
        connection = nil
        opening = nil
        try? await open?.close()
    }

    private func current() async throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        // Callers arriving while it opens wait for the same connection.
        if let opening { return try await opening.value }
        let task = Task { [connector] in try await connector.open() }
        opening = task
        defer { opening = nil }
        let opened = try await task.value
        connection = opened
        return opened
    }

    private func drop(_ failed: PostgresConnection) async {
        guard connection === failed else { return }
        connection = nil
        try? await failed.close()
    }
}
