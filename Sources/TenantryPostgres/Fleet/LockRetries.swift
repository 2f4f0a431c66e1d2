import TenantryCore

/// Tenants of a fleet run that hit a lock timeout (SQLSTATE 55P03: the application held a lock on a table the
/// migration needed) and wait to be tried again: each goes to the back of the run, after a growing delay, so the
/// others go on meanwhile. The runner keeps their claims; a tenant out of retries fails like any other.
struct LockRetries {
    /// Retries per tenant (`migrate.lock_retries`).
    let limit: Int
    /// The first delay; each retry of a tenant waits twice as long as the one before, at most `maximumDelay`.
    let firstDelay: Duration
    static let maximumDelay = Duration.seconds(30)

    private(set) var attempts: [String: Int] = [:]
    private var waiting: [(tenant: String, server: String, readyAt: ContinuousClock.Instant)] = []

    init(limit: Int, firstDelay: Duration) {
        self.limit = limit
        self.firstDelay = firstDelay
    }

    /// Whether `error` is a lock timeout worth another try for `tenant`: then it is queued, and the delay comes back.
    mutating func retry(_ tenant: String, on server: String, after error: TenantryError) -> (attempt: Int, delay: Duration)? {
        guard error.sqlState == "55P03", attempts[tenant, default: 0] < limit else { return nil }
        let attempt = attempts[tenant, default: 0] + 1
        attempts[tenant] = attempt
        var delay = firstDelay
        for _ in 1..<attempt { delay = min(delay * 2, Self.maximumDelay) }
        waiting.append((tenant, server, ContinuousClock.now + delay))
        return (attempt, delay)
    }

    /// The first waiting tenant whose delay is over, on a server with room.
    mutating func takeReady(where hasRoom: (String) -> Bool) -> (tenant: String, server: String)? {
        let now = ContinuousClock.now
        guard let index = waiting.firstIndex(where: { $0.readyAt <= now && hasRoom($0.server) }) else { return nil }
        let entry = waiting.remove(at: index)
        return (entry.tenant, entry.server)
    }

    /// The tenants still waiting (claimed by this runner, not running).
    var all: [String] { waiting.map(\.tenant) }
    var isEmpty: Bool { waiting.isEmpty }
}
