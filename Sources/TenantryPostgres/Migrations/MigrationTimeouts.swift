import TenantryCore

/// `lock_timeout` / `statement_timeout` for migrations: config defaults, overridden per file by directives.
public struct MigrationTimeouts: Sendable, Equatable {
    /// Default `lock_timeout` while a migration runs; nil leaves the server's setting.
    public var lockTimeout: String?
    public var statementTimeout: String?
    /// How long to wait for another run's lock on the same target.
    public var lockWait: Duration

    public init(lockTimeout: String? = nil, statementTimeout: String? = nil, lockWait: Duration = .seconds(60)) {
        self.lockTimeout = lockTimeout
        self.statementTimeout = statementTimeout
        self.lockWait = lockWait
    }

    /// The settings for one script: its directives win over the defaults.
    func settings(for script: MigrationScript) -> [(name: String, value: String)] {
        var settings: [(String, String)] = []
        if let value = script.directives.lockTimeout ?? lockTimeout { settings.append(("lock_timeout", value)) }
        if let value = script.directives.statementTimeout ?? statementTimeout { settings.append(("statement_timeout", value)) }
        return settings
    }
}
