/// The roles one tenant gets under the `roles:` policy, with names rendered and passwords resolved.
public struct TenantRoles: Sendable, Equatable {
    /// A login role. Its description never shows the password.
    public struct Login: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
        public enum Access: String, Sendable {
            case readWrite = "read-write", readOnly = "read-only"
        }

        public let name: SQLIdentifier
        public let access: Access
        let password: String

        public init(name: SQLIdentifier, access: Access, password: String) {
            self.name = name
            self.access = access
            self.password = password
        }

        /// A new verifier (fresh salt) for the password.
        public func makeVerifier() -> ScramVerifier { ScramVerifier.generate(password: password) }

        /// Whether `stored` (pg_authid.rolpassword) is a SCRAM verifier of the password.
        public func isVerified(by stored: String?) -> Bool {
            stored.flatMap(ScramVerifier.init(parsing:))?.matches(password: password) ?? false
        }

        public var description: String { "\(access.rawValue) role \(name.name)" }
        public var debugDescription: String { description }
    }

    public let tenantID: String
    public let owner: SQLIdentifier?
    public let readWrite: Login?
    public let readOnly: Login?

    public init(tenantID: String, owner: SQLIdentifier? = nil, readWrite: Login? = nil, readOnly: Login? = nil) {
        self.tenantID = tenantID
        self.owner = owner
        self.readWrite = readWrite
        self.readOnly = readOnly
    }

    public var logins: [Login] { [readWrite, readOnly].compactMap { $0 } }

    /// Every role name of the policy, the owner first.
    public var names: [String] { (owner.map { [$0.name] } ?? []) + logins.map(\.name.name) }
}
