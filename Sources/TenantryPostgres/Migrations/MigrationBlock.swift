import Foundation
import PostgresNIO
import TenantryCore

/// One transactional migration sent as a single `DO` statement: its settings, every statement (through PL/pgSQL
/// `EXECUTE`) and its history row, in the statement's own implicit transaction: all or nothing, in one round trip
/// instead of one per statement plus BEGIN, settings, history row and COMMIT. A fleet run sends thousands.
///
/// Only plain DDL and DML go this way (`eligibleKinds`); anything PL/pgSQL runs differently from the top level
/// (`SELECT ... INTO`, COPY, transaction control) or a per-statement `statement_timeout` (armed once per top-level
/// statement) takes the statement-by-statement path. Values never enter the SQL text as such: the history row's
/// and the settings' values travel base64-encoded and are decoded by the server, so no value can end a literal.
struct MigrationBlock {
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
    enum Part: Equatable {
        case check
        case setting(name: String, value: String)
        case statement(Int)
        case history
    }

    let sql: String
    /// The first line (in PL/pgSQL's numbering) of each part, in order.
    let parts: [(line: Int, part: Part)]

    /// - Parameter checks: PL/pgSQL statements run first, which raise when the block must not go on
    ///   (`KnownHistory`'s lock and history checks).
    /// - Parameter closing: PL/pgSQL statements run last, in the same transaction (`KnownHistory.sessionReset`).
    init(migration: Migration, statements: [PreparedStatement], settings: [(name: String, value: String)],
         historyTable: String, appliedBy: String, checks: [String] = [], closing: [String] = []) {
        let tag = Self.tag(avoiding: statements.map(\.sql))
        var body = "\nBEGIN\n"
        var lines = 2
        var parts: [(Int, Part)] = []
        func add(_ text: String, _ part: Part) {
            parts.append((lines + 1, part))
            body += text + "\n"
            lines += 1 + text.utf8.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        }
        for check in checks {
            add(check, .check)
        }
        for (name, value) in settings {
            add("PERFORM set_config(\(Self.text(name)), \(Self.text(value)), true);", .setting(name: name, value: value))
        }
        for statement in statements {
            add("EXECUTE $\(tag)$\(statement.sql)$\(tag)$;", .statement(statement.index))
        }
        add("""
            INSERT INTO \(historyTable) (version, name, checksum, execution_ms, applied_by, kind) VALUES (\
            \(Self.text(migration.version.text)), \(Self.text(migration.name)), \(Self.text(migration.checksum)), \
            (extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000)::integer, \(Self.text(appliedBy)), 'applied');
            """, .history)
        for statement in closing {
            add(statement, .check)
        }
        body += "END\n"
        sql = "DO $\(tag)_do$\(body)$\(tag)_do$"
        self.parts = parts
    }

    /// The part an error came from, from its context (`PL/pgSQL function inline_code_block line 3 at EXECUTE`);
    /// the outermost block is the last one named (a migration may hold DO blocks of its own).
    func part(of error: PSQLError) -> Part? {
        guard let context = error.serverInfo?[.locationContext],
              let range = context.range(of: "inline_code_block", options: .backwards) else { return nil }
        let digits = context[range.upperBound...].drop { !$0.isNumber }.prefix { $0.isNumber }
        guard let line = Int(digits) else { return nil }
        return parts.last { $0.line <= line }?.part
    }

    /// `convert_from(decode('…', 'base64'), 'UTF8')`: a text value the SQL cannot be broken by.
    static func text(_ value: String) -> String {
        "convert_from(decode('\(Data(value.utf8).base64EncodedString())', 'base64'), 'UTF8')"
    }

    /// A dollar-quote tag that appears in no statement.
    private static func tag(avoiding texts: [String]) -> String {
        var tag = "tenantry"
        while texts.contains(where: { $0.contains("$\(tag)") }) { tag += "_x" }
        return tag
    }
}
