import Foundation
import TenantryCore

/// The model of a fleet run, as `tenantry.runs` and `tenantry.run_targets` hold it.
public enum FleetRun {
    public enum Kind: String, Sendable, Codable {
        case migrate, rollback, provision
    }

    public enum Status: String, Sendable, Codable {
        case running, succeeded, failed, stopped, interrupted
    }

    public enum TargetStatus: String, Sendable, Codable, CaseIterable {
        case queued, running, succeeded, failed, skipped
    }

    /// A tenant put in the run: scheduled in this order, canaries first.
    public struct Planned: Sendable {
        public var tenantID: String
        public var server: String?
        public var canary: Bool
        /// Why it is skipped (suspended, another engine); nil when it is queued.
        public var skipReason: String?

        public init(tenantID: String, server: String?, canary: Bool = false, skipReason: String? = nil) {
            self.tenantID = tenantID
            self.server = server
            self.canary = canary
            self.skipReason = skipReason
        }
    }

    /// What one tenant's work produced.
    public struct Outcome: Sendable {
        public var versionBefore: String?
        public var versionAfter: String?
        /// Migrations applied (or reverted) by this run.
        public var applied: Int

        public init(versionBefore: String?, versionAfter: String?, applied: Int) {
            self.versionBefore = versionBefore
            self.versionAfter = versionAfter
            self.applied = applied
        }
    }

    /// A row of `tenantry.runs`.
    public struct Summary: Sendable, Codable {
        public var id: Int64
        public var kind: Kind
        public var status: Status
        public var startedAt: Date
        public var finishedAt: Date?
        public var startedBy: String
        public var options: [String: String]
        public var stopReason: String?
        public var counts: Counts
    }

    /// Targets per status; they always add up to the run's targets.
    public struct Counts: Sendable, Codable, Equatable {
        public var queued = 0, running = 0, succeeded = 0, failed = 0, skipped = 0

        public init() {}

        public var total: Int { queued + running + succeeded + failed + skipped }

        subscript(status: TargetStatus) -> Int {
            get {
                switch status {
                case .queued: queued
                case .running: running
                case .succeeded: succeeded
                case .failed: failed
                case .skipped: skipped
                }
            }
            set {
                switch status {
                case .queued: queued = newValue
                case .running: running = newValue
                case .succeeded: succeeded = newValue
                case .failed: failed = newValue
                case .skipped: skipped = newValue
                }
            }
        }
    }

    /// A row of `tenantry.run_targets`.
    public struct Target: Sendable, Codable {
        public var tenantID: String
        public var position: Int
        public var canary: Bool
        public var server: String?
        public var status: TargetStatus
        public var versionBefore: String?
        public var versionAfter: String?
        public var applied: Int?
        public var error: String?
        public var sqlState: String?
        public var claimedBy: String?
        public var attempts: Int
        public var startedAt: Date?
        public var finishedAt: Date?
    }
}
