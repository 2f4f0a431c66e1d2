/// The project's settings after the file, its environment overlay and interpolation are applied.
public struct Config: Sendable, Equatable {
    public enum Layout: String, Sendable, CaseIterable {
        case database, schema
    }

    public struct Master: Sendable, Equatable {
        /// The master URL from the file; `nil` when absent or interpolated to nothing.
        public var url: String?
        /// Name of the master database; defaults to the URL's database, or `tenantry_master` on the managed server.
        public var database: String?
        public var migrations = "migrations/master"
        /// Overrides format detection for the folder.
        public var format: MigrationFormat?
        public var seeds = "seeds/master"
        /// Whether placement may put new tenants on the master's server (when `servers:` lists others).
        public var newTenants = true
        /// Connection budget on the master's server for fleet work.
        public var connections: Int?
    }

    /// One entry of `servers:`: another PostgreSQL server that holds tenants.
    public struct Server: Sendable, Equatable {
        /// The name the registry records in `tenantry.tenants.server`.
        public var name: String
        public var url: String
        /// Most connections Tenantry opens to this server at once during fleet work.
        public var connections: Int?
        /// Whether placement may put new tenants here.
        public var newTenants = true

        public init(name: String, url: String, connections: Int? = nil, newTenants: Bool = true) {
            self.name = name
            self.url = url
            self.connections = connections
            self.newTenants = newTenants
        }
    }

    public enum Provision: String, Sendable, CaseIterable {
        case migrations, template
    }

    public struct Tenants: Sendable, Equatable {
        public var migrations = "migrations/tenant"
        public var format: MigrationFormat?
        public var seeds = "seeds/tenant"
        public var naming = "t_{hash}"
        public var extensions: [String] = []
        /// Schema-per-tenant: the schema the tenant files were written for; its qualified names are rewritten to
        /// each tenant's schema (see `SchemaTenancy`).
        public var sourceSchema = "public"
        /// Schema-per-tenant: where extensions live, once per database, after each tenant's schema on its path.
        public var extensionsSchema = "public"
        /// Database-per-tenant: `OWNER` and `TEMPLATE` of each new tenant database. With `provision: template` the
        /// template is Tenantry's own (`template refresh` builds it), named `<master database>_template` by default.
        public var owner: String?
        public var template: String?
        /// How a new tenant database starts: empty, then every migration (`migrations`), or a clone of the template.
        public var provision: Provision = .migrations
        public var query: String?
    }

    /// How migrations run on every target.
    public struct Migrate: Sendable, Equatable {
        /// Schema of the history table in database targets (schema targets keep it in their own schema).
        public var historySchema = "public"
        /// `SET LOCAL lock_timeout` while a migration runs (a file's `-- tenantry:lock-timeout` wins). 5 s by default,
        /// so the application's queries never queue long behind a migration waiting for a lock; `0` waits forever.
        public var lockTimeout: String? = Self.defaultLockTimeout
        public static let defaultLockTimeout = "5s"
        /// A tenant whose migration hit the lock timeout is tried again this many times in the same fleet run.
        public var lockRetries = 3
        /// Before the first such retry; doubled for each next one (at most 30 s).
        public var lockRetryDelaySeconds: Double = 1
        public var statementTimeout: String?
        /// How long to wait for another run holding the same target's lock.
        public var lockWaitSeconds: Double = 60
        public var allowOutOfOrder = false
        /// Tenants worked on at once by a fleet run (`--concurrency`).
        public var concurrency = 8
        /// Migrated first by every fleet run; a failure among them stops the run.
        public var canaryTenants: [String] = []
        /// Tenants of this tier are canaries too.
        public var canaryTier: String?
    }

    /// What `preview create` makes for a branch.
    public struct Preview: Sendable, Equatable {
        /// Sample tenants (slugs) created in every preview.
        public var tenants: [String] = []
        /// The preview master database starts as a copy of this database.
        public var template: String?
        public var seed = true
    }

    public var layout: Layout = .schema
    public var migrate = Migrate()
    public var master = Master()
    public var tenants = Tenants()
    /// Other servers holding tenants, in file order; the master's server is implicitly named `master`.
    public var servers: [Server] = []
    public var preview = Preview()
    /// `roles:`: per-tenant owner, read-write and read-only roles; nil when the file has no such section.
    public var roles: Roles?
    /// The selected environment (`--env`, `TENANTRY_ENV`), if any.
    public var environmentName: String?
    /// Protected environment: destructive commands need `--yes` and a terminal.
    public var isGuarded = false
    /// Names of the environments the file defines.
    public var environmentNames: [String] = []

    public init() {}

    public static let defaultMasterDatabase = "tenantry_master"
    /// How commands and placement name the master's server (the registry stores NULL for it).
    public static let masterServerName = "master"
}
