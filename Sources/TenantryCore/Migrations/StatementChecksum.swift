import Crypto
import Foundation

/// SHA-256 (hex) of a run of statements' texts: what a partial no-transaction migration records after each
/// statement, and what `--resume` compares, so fixing a later statement does not block resuming.
public enum StatementChecksum {
    public static func of<Statements: Sequence>(_ statements: Statements) -> String where Statements.Element == PreparedStatement {
        var hasher = SHA256()
        for statement in statements {
            hasher.update(data: Data(statement.sql.utf8))
            hasher.update(data: Data([0]))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
