import PostgresNIO
import TenantryCore

extension MigrationExecutor {
    enum ConcurrentIndexState: Equatable {
        /// Nothing stands in the statement's way: run it.
        case absent
        /// The index exists and is valid: the statement ran before its progress was recorded.
        case built
    }

    /// Before a named `CREATE INDEX CONCURRENTLY` runs: an invalid index of that name (left by the statement's own
    /// failure, a kill or a crash, and useless to queries) is dropped, so the statement can build it again. A valid
    /// one counts as built when `builtCounts` (the first statement of a resumed file: it ran, its record did not).
    func reconcileConcurrentIndex(_ statement: PreparedStatement, builtCounts: Bool, on connection: PostgresConnection) async throws -> ConcurrentIndexState {
        guard let index = statement.concurrentIndex else { return .absent }
        // The search path is the target's here (`configure`), so an unqualified name is in the current schema.
        let rows = try await connection.query("""
            SELECT n.nspname, i.indisvalid FROM pg_class c
            JOIN pg_index i ON i.indexrelid = c.oid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relname = \(index.name) AND n.nspname = coalesce(\(index.schema), current_schema())
            """, logger: logger).collect()
        guard let (schema, valid) = try rows.first?.decode((String, Bool).self) else { return .absent }
        if valid { return builtCounts ? .built : .absent }
        logger.notice("dropping an invalid index left by an earlier attempt before building it again",
                      metadata: ["target": "\(target.label)", "index": "\(schema).\(index.name)"])
        let qualified = try SQLIdentifier(schema).quoted + "." + SQLIdentifier(index.name).quoted
        try await connection.execute("DROP INDEX CONCURRENTLY IF EXISTS \(qualified)", logger: logger)
        return .absent
    }
}
