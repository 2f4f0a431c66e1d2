/// The one error type that reaches a user: what failed, what to do next, and the exit code it maps to.
///
/// Messages never carry passwords or full connection URLs; build them from redacted descriptions.
public struct TenantryError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Configuration, connection, lock or environment problem: the run could not start (exit 2).
        case setup
        /// Bad command-line usage (exit 64).
        case usage
        /// The work ran and something in it failed, or a check failed (exit 1).
        case failed
    }

    /// What went wrong, for a program to switch on (nil: nothing more specific than `kind`).
    public enum Code: String, Sendable, Equatable, Codable {
        /// The history and the migration files disagree (an edited, deleted or out-of-order file): a problem of the
        /// files, the same for every target that has that history, not of the target.
        case integrity
        /// A no-transaction migration stopped part way on this target; resuming it continues.
        case partial
        /// A migration file that cannot run as it is, found before anything ran.
        case invalidFile
    }

    public var kind: Kind
    public var code: Code?
    public var message: String
    public var hint: String?
    /// The server's SQLSTATE when a statement failed (for the run ledger and `--json`).
    public var sqlState: String?

    public init(_ kind: Kind, _ message: String, hint: String? = nil, sqlState: String? = nil, code: Code? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.hint = hint
        self.sqlState = sqlState
    }

    public static func setup(_ message: String, hint: String? = nil) -> Self { .init(.setup, message, hint: hint) }
    public static func usage(_ message: String, hint: String? = nil) -> Self { .init(.usage, message, hint: hint) }
    public static func failed(_ message: String, hint: String? = nil) -> Self { .init(.failed, message, hint: hint) }

    public var exitCode: Int32 {
        switch kind {
        case .failed: 1
        case .setup: 2
        case .usage: 64
        }
    }

    public var description: String {
        guard let hint else { return message }
        return "\(message)\n  hint: \(hint)"
    }
}
