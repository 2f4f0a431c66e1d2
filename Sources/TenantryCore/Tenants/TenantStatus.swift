/// Where a tenant is in its lifecycle; every change is also written to `tenantry.tenant_events`.
public enum TenantStatus: String, Sendable, CaseIterable, Codable {
    /// Registered; its database or schema, extensions, migrations and seeds are being set up (resumable).
    case provisioning = "PROVISIONING"
    case active = "ACTIVE"
    /// Provisioning or a migration failed; the event log holds the error. `tenant retry` resumes.
    case failed = "FAILED"
    /// Kept, but skipped by fleet commands.
    case suspended = "SUSPENDED"
    /// Being dropped (resumable).
    case dropping = "DROPPING"
    case deleted = "DELETED"
}
