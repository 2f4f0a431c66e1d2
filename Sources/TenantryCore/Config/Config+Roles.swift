extension Config {
    /// `roles:`: the roles `tenantry roles apply` (and tenant provisioning) gives each tenant.
    ///
    /// Names are patterns with `{slug}` and `{name}` (the tenant's database, or its schema in the schema layout);
    /// a pattern without either names one role shared by every tenant.
    public struct Roles: Sendable, Equatable {
        /// A login role and where its password comes from.
        public struct Login: Sendable, Equatable {
            public var name: String
            public var password: PasswordSource
            /// The config file's lines of the entry and of its name, for messages.
            public var line: Int
            var nameLine = 0

            public init(name: String, password: PasswordSource, line: Int = 0) {
                self.name = name
                self.password = password
                self.line = line
            }
        }

        public enum PasswordSource: Sendable, Equatable {
            /// `password:`, already interpolated: the same password for every tenant.
            case value(String)
            /// `password_env:`: the name of the variable holding it, a pattern with `{slug}`, `{SLUG}`, `{name}`.
            case variable(String)
        }

        /// A NOLOGIN role that owns the tenant's database (database layout) or schema (schema layout).
        public var owner: String?
        /// SELECT, INSERT, UPDATE, DELETE on the tenant's tables, USAGE and SELECT on its sequences; never CREATE.
        public var readWrite: Login?
        /// SELECT on the tenant's tables.
        public var readOnly: Login?

        public init(owner: String? = nil, readWrite: Login? = nil, readOnly: Login? = nil) {
            self.owner = owner
            self.readWrite = readWrite
            self.readOnly = readOnly
        }
    }
}
