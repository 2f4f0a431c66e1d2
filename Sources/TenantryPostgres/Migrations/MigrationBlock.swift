import Foundation
import PostgresNIO
import TenantryCore

/// One transactional migration sent as a single `DO` statement: its settings, every statement (through PL/pgSQL
/// `EXECUTE`) and its history row, in the statement's own implicit transaction: all or nothing, in one round trip
/// instead of one per statement plus BEGIN, settings, history row and COMMIT. A fleet run sends thousands.
/// A new tenant's whole track can go as one block too, with a COMMIT after each file (each file still all or
/// nothing, the ones before a failure kept), which provisioning a thousand tenants sends a thousand times.
///
/// Only plain DDL and DML go this way (`eligibleKinds`); anything PL/pgSQL runs differently from the top level
/// (`SELECT ... INTO`, COPY, transaction control) or a per-statement `statement_timeout` (armed once per top-level
/// statement) takes the statement-by-statement path. Values never enter the SQL text as such: the history row's
/// and the settings' values travel as escape strings with every quote, backslash, dollar sign and control
/// character escaped (`text(_:)`), so no value can end a literal or the block's dollar quotes.
struct MigrationBlock: Sendable {
    /// What runs the same inside `EXECUTE` as at the top level.
    static let eligibleKinds: Set<String> = [
        "CreateStmt", "IndexStmt", "AlterTableStmt", "ViewStmt", "CreateFunctionStmt", "CreateSeqStmt", "AlterSeqStmt",
        "InsertStmt", "UpdateStmt", "DeleteStmt", "DropStmt", "RenameStmt", "CommentStmt", "GrantStmt", "CreateEnumStmt",
        "AlterEnumStmt", "CreateDomainStmt", "AlterDomainStmt", "CompositeTypeStmt", "DefineStmt", "CreateTrigStmt",
        "CreateExtensionStmt", "CreateSchemaStmt", "CreatePolicyStmt", "AlterPolicyStmt", "AlterFunctionStmt",
        "CreateTableAsStmt", "AlterOwnerStmt", "AlterObjectSchemaStmt", "RuleStmt", "AlterDefaultPrivilegesStmt",
    ]

    static func isEligible(_ statements: [PreparedStatement], settings: [(name: String, value: String)]) -> Bool {
        !statements.isEmpty && !settings.contains { $0.name == "statement_timeout" }
            && statements.allSatisfy { eligibleKinds.contains($0.kind) && $0.refusesTransaction == nil }
    }

    /// What a line of the block does, for mapping an error's `inline_code_block line N` back to its cause.
    /// `file` indexes the block's files.
    enum Part: Equatable, Sendable {
        case check
        case setting(file: Int, name: String, value: String)
        case statement(file: Int, index: Int)
        case history(file: Int)
    }

    /// One migration file of a block: its statements and the settings they run under.
    struct File: Sendable {
        var migration: Migration
        var statements: [PreparedStatement]
        var settings: [(name: String, value: String)]
    }

    let sql: String
    /// The PL/pgSQL statements between the block's BEGIN and END, which a `MigrationBatch` strings together.
    let statements: String
    /// The first line (in PL/pgSQL's numbering) of each part, in order.
    let parts: [(line: Int, part: Part)]
    let files: [File]

    /// What comes before the statements: the variable the history rows' timings need. PL/pgSQL counts the
    /// empty line after the opening delimiter as line 1, so the statements start on line `headerLines + 1`.
    static let header = "\nDECLARE\n    file_started timestamptz;\nBEGIN\n"
    static let headerLines = 4

    /// - Parameter checks: PL/pgSQL statements run first, which raise when the block must not go on
    ///   (`KnownHistory`'s lock and history checks).
    /// - Parameter closing: PL/pgSQL statements run last, in the same transaction (`KnownHistory.sessionReset`).
    init(migration: Migration, statements: [PreparedStatement], settings: [(name: String, value: String)],
         historyTable: String, appliedBy: String, checks: [String] = [], closing: [String] = []) {
        self.init(files: [File(migration: migration, statements: statements, settings: settings)], historyTable: historyTable,
                  appliedBy: appliedBy, checks: checks, closing: closing)
    }

    /// Several files, each in its own transaction: the block COMMITs after each file's history row (it must then
    /// run outside any transaction block, as a top-level statement), so a failure keeps the files before it.
    init(files: [File], historyTable: String, appliedBy: String, checks: [String] = [], closing: [String] = []) {
        let tag = Self.tag(avoiding: files.flatMap { $0.statements.map(\.sql) })
        var body = ""
        var lines = Self.headerLines
        var parts: [(Int, Part)] = []
        func add(_ text: String, _ part: Part) {
            parts.append((lines + 1, part))
            body += text + "\n"
            lines += 1 + text.utf8.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        }
        for check in checks {
            add(check, .check)
        }
        for (number, file) in files.enumerated() {
            // A failing COMMIT rolls back the file before it, which is where the count of files kept stops.
            add(number == 0 ? "file_started := clock_timestamp();" : "COMMIT;\nfile_started := clock_timestamp();",
                number == 0 ? .check : .history(file: number - 1))
            for (name, value) in file.settings {
                add("PERFORM set_config(\(Self.text(name)), \(Self.text(value)), true);", .setting(file: number, name: name, value: value))
            }
            for statement in file.statements {
                add("EXECUTE $\(tag)$\(statement.sql)$\(tag)$;", .statement(file: number, index: statement.index))
            }
            let migration = file.migration
            add("""
                INSERT INTO \(historyTable) (version, name, checksum, execution_ms, applied_by, kind) VALUES (\
                \(Self.text(migration.version.text)), \(Self.text(migration.name)), \(Self.text(migration.checksum)), \
                (extract(epoch FROM clock_timestamp() - file_started) * 1000)::integer, \(Self.text(appliedBy)), 'applied');
                """, .history(file: number))
        }
        // In the last file's transaction: a failure there rolls that file back.
        for statement in closing {
            add(statement, .history(file: files.count - 1))
        }
        sql = "DO $\(tag)_do$\(Self.header)\(body)END\n$\(tag)_do$"
        statements = body
        self.parts = parts
        self.files = files
    }

    /// The part an error came from, from its context (`PL/pgSQL function inline_code_block line 3 at EXECUTE`);
    /// the outermost block is the last one named (a migration may hold DO blocks of its own).
    func part(of error: PSQLError) -> Part? {
        Self.line(of: error).flatMap(part(atLine:))
    }

    /// The part on `line` of this block's own numbering.
    func part(atLine line: Int) -> Part? {
        parts.last { $0.line <= line }?.part
    }

    /// The line of the outermost inline block an error names, if it names one.
    static func line(of error: PSQLError) -> Int? {
        guard let context = error.serverInfo?[.locationContext],
              let range = context.range(of: "inline_code_block", options: .backwards) else { return nil }
        return Int(context[range.upperBound...].drop { !$0.isNumber }.prefix { $0.isNumber })
    }

    /// `E'…'`: a text value the SQL cannot be broken by, with `$` written `\x24` so no value can end the
    /// block's dollar quotes (`SQLLiteral.escaped`). It costs the server nothing to decode: a fleet run's blocks
    /// carry thousands.
    static func text(_ value: String) -> String {
        SQLLiteral.escaped(value, dollarSafe: true)
    }

    /// A dollar-quote tag that appears in no statement.
    static func tag(avoiding texts: [String]) -> String {
        // Most statements hold no dollar sign at all: one byte scan rules them out.
        let dollared = texts.filter { $0.utf8.contains(UInt8(ascii: "$")) }
        var tag = "tenantry"
        while dollared.contains(where: { $0.contains("$\(tag)") }) { tag += "_x" }
        return tag
    }
}
