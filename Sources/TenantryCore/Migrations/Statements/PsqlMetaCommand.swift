/// A psql backslash command (`\c`, `\set`, `\i`, …) in a migration. psql runs these itself, on the client;
/// Tenantry sends SQL to the server, which has never heard of them.
struct PsqlMetaCommand: Sendable, Equatable {
    /// As written, with its backslash: `\connect`.
    var name: String

    /// Reads the command name at `index` (a backslash): a run of letters, digits and underscores, or else the
    /// single character after the backslash (`\.`, `\!`, `\\`), as psql reads it.
    init(at index: String.Index, in sql: String) {
        let scalars = sql.unicodeScalars[sql.unicodeScalars.index(after: index)...]
        let word = scalars.prefix { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" }
        let name = word.isEmpty ? String(scalars.prefix(1)) : String(word)
        self.name = "\\" + name
    }

    func error(file: String, line: Int, column: Int) -> TenantryError {
        .failed("\(file):\(line):\(column): \(name) is a psql meta-command: psql carries those out itself, on the "
            + "client, and Tenantry sends the migration's SQL to the server, which cannot run it", hint: hint)
    }

    /// What to do instead, by command.
    var hint: String {
        switch name.dropFirst().lowercased() {
        case "c", "connect":
            "remove it: Tenantry connects to each target with its connection settings (config or --url); "
                + "SQL for another database belongs in that database's own migrations"
        case "i", "ir", "include", "include_relative":
            "remove it and put the included SQL in this migration, or in a migration of its own"
        case "set", "unset", "gset", "gexec", "setenv", "if", "elif", "else", "endif":
            "remove it and write the values into the SQL: Tenantry substitutes no variables; per-file settings "
                + "use -- tenantry: directives"
        case "copy", ".":
            "remove it and load the rows with INSERT statements, or with COPY from a file on the server"
        default:
            "remove it: psql commands are client-side and Tenantry sends SQL to the server; use the connection "
                + "settings or separate migrations instead"
        }
    }
}
