/// How far a no-transaction down section got: while it runs, the migration's history row says so (in its
/// `progress_checksum`, as `down:<done>/<total>:<checksum of the down statements done>`), so a rollback that
/// stops part way leaves an honest history that `status` reports and `rollback --resume` finishes. The row goes
/// once the last statement has run.
public struct RevertProgress: Sendable, Equatable {
    /// Down statements done (k of n).
    public var done: Int
    public var total: Int
    /// `StatementChecksum` of the down statements done.
    public var checksum: String

    public init(done: Int, total: Int, checksum: String) {
        self.done = done
        self.total = total
        self.checksum = checksum
    }

    static let prefix = "down:"

    /// The text kept in `progress_checksum`.
    public var recorded: String { "\(Self.prefix)\(done)/\(total):\(checksum)" }

    /// Reads `recorded`; nil for anything else (an up section's progress checksum).
    public init?(recorded text: String?) {
        guard let text, text.hasPrefix(Self.prefix) else { return nil }
        let parts = text.dropFirst(Self.prefix.count).split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let counts = parts.first?.split(separator: "/") ?? []
        guard parts.count == 2, counts.count == 2, let done = Int(counts[0]), let total = Int(counts[1]) else { return nil }
        self.init(done: done, total: total, checksum: String(parts[1]))
    }
}

extension AppliedMigration {
    /// Set while (or after) a no-transaction down section of this migration stopped part way.
    public var revertProgress: RevertProgress? { RevertProgress(recorded: progressChecksum) }
}
