/// What applying a seed catalog to one target did (see `SeedRunner` in TenantryPostgres).
public struct SeedReport: Sendable, Equatable {
    /// A seed recorded as applied whose file has changed since: reported, never re-run (it would insert its
    /// rows a second time).
    public struct Change: Sendable, Equatable {
        public var seed: Seed
        /// The checksum in `tenantry_seeds` when it was applied.
        public var recordedChecksum: String

        public init(seed: Seed, recordedChecksum: String) {
            self.seed = seed
            self.recordedChecksum = recordedChecksum
        }
    }

    /// How the target is named in messages.
    public var target: String
    /// Run now, in order.
    public var applied: [Seed] = []
    /// Already applied with the same checksum.
    public var skipped: [Seed] = []
    /// Already applied, but edited since.
    public var changed: [Change] = []

    public init(target: String, applied: [Seed] = [], skipped: [Seed] = [], changed: [Change] = []) {
        self.target = target
        self.applied = applied
        self.skipped = skipped
        self.changed = changed
    }

    /// One line per changed seed, for the CLI to print as warnings.
    public var warnings: [String] {
        changed.map { change in
            "\(target): seed \(change.seed.file) changed since it was applied (checksum \(change.recordedChecksum.prefix(12)) → "
                + "\(change.seed.checksum.prefix(12))); not re-run, since seeds insert data. Apply the difference in a new seed file"
        }
    }
}
