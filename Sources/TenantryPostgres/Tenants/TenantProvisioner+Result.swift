import TenantryCore

extension TenantProvisioner {
    /// One thing `create` or `retry` did, reported as it happens (`onStep`) and in the `Result`.
    public enum Step: Sendable, Equatable {
        /// The tenant was written to the registry as PROVISIONING (absent when it already was registered).
        case registered
        /// A FAILED or PROVISIONING tenant is being resumed; each later step is idempotent.
        case resumed(from: TenantStatus)
        /// Database-per-tenant: its database was created now (absent when it already existed).
        case createdDatabase(String)
        /// `CREATE DATABASE ... TEMPLATE` of the project's template (`tenants.provision: template`).
        case clonedDatabase(String, template: String)
        /// A copy of the project's template schema (`tenants.provision: template`, schema layout).
        case clonedSchema(String, template: String)
        /// Schema-per-tenant: its schema was created now (absent when it already existed).
        case createdSchema(String)
        /// `CREATE EXTENSION IF NOT EXISTS` ran for this configured extension.
        case ensuredExtension(String)
        /// The `roles:` policy changed something (each change in words); absent when nothing changed.
        case appliedRoles([String])
        /// The tenant track ran; the number of migrations applied now (0 when it was up to date).
        case migrated(Int)
        /// The tenant is ACTIVE.
        case active
    }

    /// What `create` or `retry` left behind.
    public struct Result: Sendable, Equatable {
        /// The registry row after the call.
        public var tenant: Tenant
        /// The tenant was ACTIVE already, so nothing was done (and no event was written).
        public var alreadyActive: Bool
        /// The steps taken, in order; empty when `alreadyActive`.
        public var steps: [Step]
        /// The tenant track's version after the call, when the migrations ran (nil when skipped as already ACTIVE).
        public var version: MigrationVersion?

        public init(tenant: Tenant, alreadyActive: Bool, steps: [Step], version: MigrationVersion? = nil) {
            self.tenant = tenant
            self.alreadyActive = alreadyActive
            self.steps = steps
            self.version = version
        }

        /// Tenant migrations applied by the call.
        public var migrationsApplied: Int {
            steps.reduce(0) { sum, step in
                if case .migrated(let count) = step { return sum + count }
                return sum
            }
        }
    }

    /// The provisioning phase a failure happened in, recorded as the FAILED event's `step` detail.
    enum Phase: String, Sendable {
        case location, extensions, roles, migrate, activate
    }
}
