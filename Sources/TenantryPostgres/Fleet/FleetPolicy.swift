import TenantryCore

/// How a fleet run schedules and when it stops early.
public struct FleetPolicy: Sendable, Equatable {
    /// Past this many failures (or this share of the fleet), scheduling stops.
    public enum Threshold: Sendable, Equatable, CustomStringConvertible {
        case count(Int)
        case percent(Double)

        /// `3` or `5%`.
        public init(parsing text: String) throws(TenantryError) {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.hasSuffix("%"), let value = Double(trimmed.dropLast()), value >= 0, value <= 100 {
                self = .percent(value)
            } else if let value = Int(trimmed), value >= 0 {
                self = .count(value)
            } else {
                throw .usage("--max-failures takes a count or a percentage, like 3 or 5% (got '\(text)')")
            }
        }

        /// Whether `failed` failures out of `total` targets go past the threshold.
        public func isExceeded(failed: Int, total: Int) -> Bool {
            switch self {
            case .count(let limit): failed > limit
            case .percent(let share): Double(failed) > Double(total) * share / 100
            }
        }

        public var description: String {
            switch self {
            case .count(let limit): "\(limit)"
            case .percent(let share): "\(share.formatted())%"
            }
        }
    }

    /// Most tenants worked on at once by this runner (each server's budget bounds it further).
    public var concurrency: Int
    public var failFast: Bool
    public var maxFailures: Threshold?
    /// A claim without a heartbeat for this long is taken over by another runner.
    public var lease: Duration
    /// A tenant that hits a lock timeout (the application holds a lock the migration needs) goes to the back of the
    /// run and is tried again, at most this many times (`migrate.lock_retries`), after `lockRetryDelay`, doubling.
    public var lockRetries: Int
    public var lockRetryDelay: Duration

    public init(concurrency: Int = 8, failFast: Bool = false, maxFailures: Threshold? = nil, lease: Duration = .seconds(30),
                lockRetries: Int = 3, lockRetryDelay: Duration = .seconds(1)) {
        self.concurrency = concurrency
        self.failFast = failFast
        self.maxFailures = maxFailures
        self.lease = lease
        self.lockRetries = lockRetries
        self.lockRetryDelay = lockRetryDelay
    }
}

extension Double {
    /// `5` for 5.0, `2.5` for 2.5.
    func formatted() -> String {
        self == rounded() ? String(Int(self)) : String(self)
    }
}
