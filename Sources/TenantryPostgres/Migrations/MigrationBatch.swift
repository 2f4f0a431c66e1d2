import PostgresNIO

/// Several self-checking blocks (`KnownHistory`), usually of different tenants in one shared database, sent as
/// one `DO` statement that COMMITs after each: one round trip, one statement for the server to parse and report,
/// instead of one per block. Each block keeps its own transaction, lock, history check and session reset.
///
/// A block that raises rolls back alone: the ones before it stay committed, the ones after it never ran.
struct MigrationBatch {
    let sql: String
    let blocks: [MigrationBlock]
    /// The batch's line where each block's statements start, in order.
    private let firstLines: [Int]

    init(_ blocks: [MigrationBlock]) {
        let tag = MigrationBlock.tag(avoiding: blocks.flatMap { $0.files.flatMap { $0.statements.map(\.sql) } })
        var body = ""
        var line = MigrationBlock.headerLines + 1
        var firstLines: [Int] = []
        for (index, block) in blocks.enumerated() {
            firstLines.append(line)
            // A failing COMMIT rolls back the block before it: its line counts as that block's last part.
            let text = block.statements + (index < blocks.count - 1 ? "COMMIT;\n" : "")
            body += text
            line += text.utf8.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        }
        sql = "DO $\(tag)_do$\(MigrationBlock.header)\(body)END\n$\(tag)_do$"
        self.blocks = blocks
        self.firstLines = firstLines
    }

    /// Which block an error came from, and where in it (in the block's own numbering); nil when the error
    /// names no line of the batch.
    func origin(of error: PSQLError) -> (block: Int, part: MigrationBlock.Part?)? {
        guard let line = MigrationBlock.line(of: error), let index = firstLines.lastIndex(where: { $0 <= line }) else { return nil }
        let ownLine = line - firstLines[index] + MigrationBlock.headerLines + 1
        return (index, blocks[index].part(atLine: ownLine))
    }
}
