/// What the server's catalogs say about a tenant's roles and places, read before planning (`RolePlan`).
public struct RoleState: Sendable, Equatable {
    /// A privilege held by a role, or by PUBLIC (grantee ``RoleState/public``).
    public struct Grant: Sendable, Hashable {
        public var grantee: String
        public var privilege: String

        public init(_ grantee: String, _ privilege: String) {
            self.grantee = grantee
            self.privilege = privilege
        }
    }

    /// `ALTER DEFAULT PRIVILEGES` entry: objects of `objectType` (`r` tables, `S` sequences) that `creator` makes
    /// in the schema get `grant`.
    public struct DefaultGrant: Sendable, Hashable {
        public var creator: String
        public var objectType: String
        public var grant: Grant

        public init(creator: String, objectType: String, grant: Grant) {
            self.creator = creator
            self.objectType = objectType
            self.grant = grant
        }
    }

    public struct Role: Sendable, Equatable {
        public var canLogin: Bool
        public var isSuperuser: Bool
        /// `pg_authid.rolpassword`, when readable.
        public var storedPassword: String?

        public init(canLogin: Bool, isSuperuser: Bool, storedPassword: String? = nil) {
            self.canLogin = canLogin
            self.isSuperuser = isSuperuser
            self.storedPassword = storedPassword
        }
    }

    /// A database or schema: its owner and its ACL (the default ACL when it has none).
    public struct Place: Sendable, Equatable {
        public var name: SQLIdentifier
        public var owner: String
        public var grants: Set<Grant>

        public init(name: SQLIdentifier, owner: String, grants: Set<Grant>) {
            self.name = name
            self.owner = owner
            self.grants = grants
        }
    }

    public struct Schema: Sendable, Equatable {
        public var place: Place
        /// (role, privilege) pairs some existing table (or sequence) of the schema lacks, for existing roles.
        public var tablesLacking: Set<Grant>
        public var sequencesLacking: Set<Grant>
        public var hasTables: Bool
        public var hasSequences: Bool
        public var defaults: Set<DefaultGrant>

        public init(place: Place, tablesLacking: Set<Grant> = [], sequencesLacking: Set<Grant> = [], hasTables: Bool = false,
                    hasSequences: Bool = false, defaults: Set<DefaultGrant> = []) {
            self.place = place
            self.tablesLacking = tablesLacking
            self.sequencesLacking = sequencesLacking
            self.hasTables = hasTables
            self.hasSequences = hasSequences
            self.defaults = defaults
        }
    }

    /// The grantee name standing for PUBLIC (no role can be named with the empty string).
    public static let `public` = ""

    /// The role Tenantry connects as, which runs the migrations.
    public var currentUser: SQLIdentifier
    public var currentUserIsSuperuser: Bool
    /// Whether the current user may act for the owner role (and so set default privileges for it).
    public var memberOfOwner: Bool
    /// Whether pg_authid is readable (superuser), so stored passwords can be compared.
    public var passwordsReadable: Bool
    /// The policy's roles that exist, by name.
    public var roles: [String: Role]
    public var database: Place
    /// The schemas whose tables the roles use, those that exist.
    public var schemas: [Schema]

    public init(currentUser: SQLIdentifier, currentUserIsSuperuser: Bool, memberOfOwner: Bool, passwordsReadable: Bool,
                roles: [String: Role], database: Place, schemas: [Schema]) {
        self.currentUser = currentUser
        self.currentUserIsSuperuser = currentUserIsSuperuser
        self.memberOfOwner = memberOfOwner
        self.passwordsReadable = passwordsReadable
        self.roles = roles
        self.database = database
        self.schemas = schemas
    }
}
