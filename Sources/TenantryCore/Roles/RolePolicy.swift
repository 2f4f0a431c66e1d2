/// The `roles:` section applied to tenants: role names from its patterns, passwords from the configuration or
/// from per-tenant variables of the project's environment (process environment over `.env`).
///
/// Every password it resolves is registered with ``Redactor``, so no output or log line can carry it.
public struct RolePolicy: Sendable {
    public let roles: Config.Roles
    let environment: [String: String]
    /// The config file's name, for messages.
    let file: String

    public init(roles: Config.Roles, environment: [String: String], file: String = "tenantry.yml") {
        self.roles = roles
        self.environment = environment
        self.file = file
    }

    /// The tenant's roles.
    ///
    /// - Throws: `.setup` naming the tenant and the variable when a password variable is unset or empty, or the
    ///   tenant and the pattern when a role name is not a valid identifier (over 63 bytes).
    public func resolve(for tenant: Tenant) throws(TenantryError) -> TenantRoles {
        let name = tenant.schemaName ?? tenant.databaseName
        let owner = try roles.owner.map { (pattern: String) throws(TenantryError) in
            try roleName(pattern, path: "roles.owner", tenant: tenant, name: name)
        }
        return TenantRoles(tenantID: tenant.id, owner: owner,
                           readWrite: try roles.readWrite.map { (login: Config.Roles.Login) throws(TenantryError) in
                               try resolve(login, access: .readWrite, tenant: tenant, name: name)
                           },
                           readOnly: try roles.readOnly.map { (login: Config.Roles.Login) throws(TenantryError) in
                               try resolve(login, access: .readOnly, tenant: tenant, name: name)
                           })
    }

    private func resolve(_ login: Config.Roles.Login, access: TenantRoles.Login.Access, tenant: Tenant,
                         name: String) throws(TenantryError) -> TenantRoles.Login {
        let path = access == .readWrite ? "roles.read_write" : "roles.read_only"
        let role = try roleName(login.name, path: "\(path).name", tenant: tenant, name: name)
        let password: String
        switch login.password {
        case .value(let value):
            guard !value.isEmpty else {
                throw .setup("tenant \(tenant.id): \(path).password (\(file) line \(login.line)) is empty",
                             hint: "set the variable it is interpolated from, e.g. password: ${VARIABLE:?message}")
            }
            password = value
        case .variable(let pattern):
            let variable = try RolePattern(pattern, kind: .variableName).render(slug: tenant.id, name: name)
            guard let value = environment[variable], !value.isEmpty else {
                throw .setup("tenant \(tenant.id): the password of \(access.rawValue) role \(role.name) comes from \(variable), which is not set",
                             hint: "set \(variable) in the environment (or .env) from your secret store; \(path).password_env is '\(pattern)'")
            }
            password = value
        }
        Redactor.shared.register(password)
        return TenantRoles.Login(name: role, access: access, password: password)
    }

    private func roleName(_ pattern: String, path: String, tenant: Tenant, name: String) throws(TenantryError) -> SQLIdentifier {
        let rendered = try RolePattern(pattern, kind: .roleName).render(slug: tenant.id, name: name)
        do {
            return try SQLIdentifier(rendered)
        } catch {
            throw .setup("tenant \(tenant.id): \(path) '\(pattern)' gives the role name '\(rendered)': \(error.message)",
                         hint: "shorten the pattern's literal text, or use {slug} instead of {name}")
        }
    }
}
