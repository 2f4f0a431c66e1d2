import Logging
import PostgresNIO
import Synchronization

/// Gathers the self-checking blocks a fleet run's jobs send to one shared database (schema-per-tenant) and sends
/// them as batches (`MigrationBatch`) on at most `lanes` connections: while a batch is in flight, the next jobs'
/// blocks wait and go out together, as a group commit does. The server parses and reports one statement per
/// batch, and the fleet needs a quarter of the sessions for the same tenants in flight (fewer sessions doing DDL
/// in one database process fewer of each other's catalog invalidations).
///
/// Each submission is answered on its own: how many of its blocks committed, and the error of the one that
/// stopped (see `MigrationExecutor.stopped`). Submissions behind a stopped block did not run; they go out again
/// first. An error that names no block sends every submission of that batch the classic way (which reads the
/// history under the lock, so nothing is applied twice); a lost connection fails them all.
public actor MigrationBatcher {
    /// Tenants (submissions) per batch.
    public static let tenantsPerBatch = 4

    public let connector: PostgresConnector
    public let lanes: Int
    let logger: Logger
    private var waiting: [Submission] = []
    private var inFlight = 0
    /// How many submissions each batch carried, in the order sent.
    private(set) var batchSizes: [Int] = []

    /// The client's event loop, where the jobs sending to it run too (`ClientLoop`): no hop to another thread.
    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        ClientLoop.shared.eventLoop.executor.asUnownedSerialExecutor()
    }

    public init(connector: PostgresConnector, lanes: Int, logger: Logger) {
        self.connector = connector
        self.lanes = max(1, lanes)
        self.logger = logger
    }

    struct Reply: Sendable {
        /// Blocks of the submission committed, in order.
        var kept: Int
        /// Why block `kept` stopped, and where in it; nil when all committed.
        var error: PSQLError?
        var part: MigrationBlock.Part?
    }

    private struct Submission: Sendable {
        var blocks: [MigrationBlock]
        var reply: CheckedContinuation<Reply, any Error>
    }

    /// One target's blocks, in order; they always go out together, in one batch.
    func send(_ blocks: [MigrationBlock]) async throws -> Reply {
        try await withCheckedThrowingContinuation { reply in
            waiting.append(Submission(blocks: blocks, reply: reply))
            startBatches()
        }
    }

    private func startBatches() {
        while inFlight < lanes, !waiting.isEmpty {
            let batch = Array(waiting.prefix(Self.tenantsPerBatch))
            waiting.removeFirst(batch.count)
            inFlight += 1
            batchSizes.append(batch.count)
            Task(executorPreference: ClientLoop.shared) { [connector, logger] in
                await self.finished(batch, Self.run(batch, on: connector, logger: logger))
            }
        }
    }

    private enum Result: Sendable {
        case committed
        case stopped(PSQLError, origin: (block: Int, part: MigrationBlock.Part?)?)
        case failed(any Error)
    }

    private static func run(_ batch: [Submission], on connector: PostgresConnector, logger: Logger) async -> Result {
        let composed = MigrationBatch(batch.flatMap(\.blocks))
        do {
            // A batch that raises leaves the connection to be closed: the stopped block's session state goes with it.
            try await connector.withConnection(runsUserSQL: false) { connection in
                try connection.ensureOpen()
                try await connection.execute(composed.sql, logger: logger)
            }
            return .committed
        } catch let error as PSQLError where error.serverInfo != nil {
            return .stopped(error, origin: composed.origin(of: error))
        } catch {
            return .failed(error)
        }
    }

    private func finished(_ batch: [Submission], _ result: Result) {
        inFlight -= 1
        switch result {
        case .committed:
            for submission in batch { submission.reply.resume(returning: Reply(kept: submission.blocks.count)) }
        case .stopped(let error, let origin?):
            // The batch's block `origin.block` stopped: find its submission.
            var first = 0
            for (index, submission) in batch.enumerated() {
                let range = first..<(first + submission.blocks.count)
                first = range.upperBound
                if range.upperBound <= origin.block {
                    submission.reply.resume(returning: Reply(kept: submission.blocks.count))
                } else if range.contains(origin.block) {
                    submission.reply.resume(returning: Reply(kept: origin.block - range.lowerBound, error: error, part: origin.part))
                    waiting.insert(contentsOf: batch[(index + 1)...], at: 0)
                    break
                }
            }
        case .stopped(let error, nil):
            for submission in batch { submission.reply.resume(returning: Reply(kept: 0, error: error, part: nil)) }
        case .failed(let error):
            for submission in batch { submission.reply.resume(throwing: error) }
        }
        startBatches()
    }
}

/// A fleet run's batchers, one per shared database (server and database), made on first use.
public final class MigrationBatchers: Sendable {
    private let lanes: Int
    private let logger: Logger
    private let batchers = Mutex<[String: MigrationBatcher]>([:])

    /// `concurrency` tenants in flight need this many connections per database: a quarter, rounded up.
    public init(concurrency: Int, logger: Logger) {
        lanes = (concurrency + MigrationBatcher.tenantsPerBatch - 1) / MigrationBatcher.tenantsPerBatch
        self.logger = logger
    }

    public func batcher(for connector: PostgresConnector) -> MigrationBatcher {
        let settings = connector.settings
        let key = "\(settings.serverDescription)/\(settings.database)"
        return batchers.withLock { batchers in
            if let existing = batchers[key] { return existing }
            let made = MigrationBatcher(connector: connector, lanes: lanes, logger: logger)
            batchers[key] = made
            return made
        }
    }
}
