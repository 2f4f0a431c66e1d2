import PgQuery

/// `COPY ... FROM STDIN` reads its rows from the client as a data stream; Tenantry sends statements only, so it
/// has none to give. `COPY ... TO STDOUT` streams rows back, which the driver does not accept either.
enum CopyData {
    /// Whether `sql` is a `COPY` that reads rows from the client.
    static func readsFromClient(_ sql: String) -> Bool {
        guard let node = try? PgQuery.parse(sql).statements.first, let copy = node["CopyStmt"] else { return false }
        return copy.flag("is_from") && copy["filename"] == nil && !copy.flag("is_program")
    }

    /// Whether `sql` is a `COPY` that writes rows to the client.
    static func writesToClient(_ sql: String) -> Bool {
        guard let node = try? PgQuery.parse(sql).statements.first, let copy = node["CopyStmt"] else { return false }
        return !copy.flag("is_from") && copy["filename"] == nil && !copy.flag("is_program")
    }

    static func stdoutError(for statement: PreparedStatement, file: String) -> TenantryError {
        .failed("\(file):\(statement.line): COPY ... TO STDOUT (statement \(statement.index)) streams rows to the client, "
            + "and a migration has nowhere to put them", hint: "remove it, or COPY ... TO a file on the server")
    }

    static func stdinError(for statement: PreparedStatement, file: String) -> TenantryError {
        .failed("\(file):\(statement.line): COPY ... FROM STDIN (statement \(statement.index)) reads rows sent by the "
            + "client, and Tenantry sends none: it has no data stream", hint: hint)
    }

    /// The rows follow the statement in the file, as psql scripts and pg_dump output have them.
    static func inlineDataError(file: String, copyLine: Int, dataLine: Int, index: Int) -> TenantryError {
        .failed("\(file):\(dataLine): rows of COPY ... FROM STDIN (statement \(index), line \(copyLine)) follow it in "
            + "the file; psql sends those as a data stream, and Tenantry sends statements only", hint: hint)
    }

    private static let hint = "load the rows with INSERT statements (pg_dump --inserts writes them), or with COPY "
        + "from a file on the server, or outside the migration"
}
