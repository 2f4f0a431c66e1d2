import Logging
import PostgresNIO

/// BEGIN … COMMIT around `body`, ROLLBACK when it throws; the body's own error reaches the caller unwrapped
/// (PostgresNIO's `withTransaction` wraps it), so SQLSTATEs can still be read.
enum RegistryTransaction {
    static func run<Result: Sendable>(
        on connection: PostgresConnection, logger: Logger, _ body: () async throws -> Result
    ) async throws -> Result {
        try await connection.execute("BEGIN", logger: logger)
        do {
            let result = try await body()
            try await connection.execute("COMMIT", logger: logger)
            return result
        } catch {
            try? await connection.execute("ROLLBACK", logger: logger)
            throw error
        }
    }
}
