/// One statement of a migration script, as PostgreSQL's parser split it, ready to execute.
public struct PreparedStatement: Sendable, Equatable {
    /// The statement text sent to the server (no trailing semicolon).
    public var sql: String
    /// 1-based position in its script.
    public var index: Int
    /// 1-based line and column in the migration *file* (not the script), for messages.
    public var line: Int
    public var column: Int
    /// The parse-tree node name (`CreateStmt`, `IndexStmt`, …).
    public var kind: String
    /// PostgreSQL refuses it inside a transaction block (CREATE INDEX CONCURRENTLY, VACUUM, …): describes it,
    /// e.g. "CREATE INDEX CONCURRENTLY"; nil when it may run in a transaction.
    public var refusesTransaction: String?
    /// A named `CREATE INDEX CONCURRENTLY`: the index, and its schema when the statement names one. Such a statement
    /// leaves an invalid index behind when it fails or is killed, which a resumed run must clear first.
    public var concurrentIndex: (schema: String?, name: String)?

    public init(sql: String, index: Int, line: Int, column: Int, kind: String, refusesTransaction: String? = nil,
                concurrentIndex: (schema: String?, name: String)? = nil) {
        self.sql = sql
        self.index = index
        self.line = line
        self.column = column
        self.kind = kind
        self.refusesTransaction = refusesTransaction
        self.concurrentIndex = concurrentIndex
    }

    public static func == (lhs: PreparedStatement, rhs: PreparedStatement) -> Bool {
        lhs.sql == rhs.sql && lhs.index == rhs.index && lhs.line == rhs.line && lhs.column == rhs.column && lhs.kind == rhs.kind
            && lhs.refusesTransaction == rhs.refusesTransaction && lhs.concurrentIndex?.schema == rhs.concurrentIndex?.schema
            && lhs.concurrentIndex?.name == rhs.concurrentIndex?.name
    }
}
