import Logging
import PostgresNIO
import TenantryCore

/// Catalog queries about one schema, each returning a text column and taking the schema's quoted name as `$1`,
/// run in one transaction with the schema first on `search_path`: the server's deparsers (`pg_get_viewdef`, …)
/// then leave its names unqualified, so two schemas with the same objects read the same.
enum SchemaCatalogQuery {
    /// Each query's rows (NULLs dropped), in order; the connection's `search_path` is left as it was.
    static func run(_ queries: [String], about schema: SQLIdentifier, on connection: PostgresConnection, logger: Logger) async throws -> [[String]] {
        var results: [[String]] = []
        try await connection.execute("BEGIN", logger: logger)
        do {
            _ = try await connection.query("SELECT set_config('search_path', \(schema.quoted + ", pg_catalog"), true)", logger: logger).collect()
            for text in queries {
                var query = PostgresQuery(unsafeSQL: text)
                query.binds.append(schema.quoted)
                results.append(try await connection.query(query, logger: logger).collect().compactMap { try $0.decode(String?.self) })
            }
            try await connection.execute("COMMIT", logger: logger)
        } catch {
            try? await connection.execute("ROLLBACK", logger: logger)
            throw error
        }
        return results
    }
}
