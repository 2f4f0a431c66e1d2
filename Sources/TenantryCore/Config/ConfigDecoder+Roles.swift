// `roles:`: the owner, read-write and read-only role of each tenant.
//
//     roles:
//       owner: "{name}_owner"                      # NOLOGIN, owns the tenant's database or schema
//       read_write:
//         name: "{name}_rw"
//         password: ${TENANT_RW_PASSWORD:?set it from the secret store}   # one password for every tenant
//       read_only:
//         name: "{name}_ro"
//         password_env: "RO_PASSWORD_{SLUG}"       # per tenant: the variable's name is a pattern
extension ConfigDecoder {
    static let loginKeys = ["name", "password", "password_env"]

    func decodeRoles(_ node: ConfigNode) throws(TenantryError) -> Config.Roles {
        let entries = try mapping(node, path: "roles")
        try checkKeys(entries, allowed: Self.sectionKeys["roles"]!, path: "roles.")
        var roles = Config.Roles()
        var names: [(path: String, pattern: String, line: Int)] = []
        for entry in entries {
            let path = "roles.\(entry.key)"
            switch entry.key {
            case "owner":
                roles.owner = try optionalString(entry, path: path)
                if let owner = roles.owner {
                    try checkPattern(owner, kind: .roleName, path: path, line: entry.line)
                    names.append((path, owner, entry.line))
                }
            case "read_write", "read_only":
                let login = try decodeLogin(entry, path: path)
                names.append(("\(path).name", login.name, login.nameLine))
                if entry.key == "read_write" { roles.readWrite = login } else { roles.readOnly = login }
            default: break
            }
        }
        guard !names.isEmpty else {
            throw .setup("\(file):\(node.line): roles: names no role", hint: "give owner, read_write or read_only (see the README's Roles section)")
        }
        for (index, name) in names.enumerated() {
            if let earlier = names[..<index].first(where: { $0.pattern == name.pattern }) {
                throw .setup("\(file):\(name.line): \(name.path) and \(earlier.path) are both '\(name.pattern)'; each role needs its own name")
            }
        }
        return roles
    }

    private func decodeLogin(_ entry: ConfigNode.Entry, path: String) throws(TenantryError) -> Config.Roles.Login {
        let fields = try mapping(entry.value, path: path)
        try checkKeys(fields, allowed: Self.loginKeys, path: "\(path).")
        var name: String?
        var nameLine = entry.line
        var password: Config.Roles.PasswordSource?
        for field in fields {
            let fieldPath = "\(path).\(field.key)"
            if password != nil, field.key != "name" {
                throw .setup("\(file):\(field.line): \(path) has both password and password_env", hint: "keep one of them")
            }
            switch field.key {
            case "name":
                name = try string(field, path: fieldPath)
                nameLine = field.line
                try checkPattern(name!, kind: .roleName, path: fieldPath, line: field.line)
            case "password":
                let value = try optionalString(field, path: fieldPath) ?? ""
                Redactor.shared.register(value)
                // Empty after interpolation is refused when a tenant needs it, so other commands still run.
                password = .value(value)
            case "password_env":
                let pattern = try string(field, path: fieldPath)
                try checkPattern(pattern, kind: .variableName, path: fieldPath, line: field.line)
                password = .variable(pattern)
            default: break
            }
        }
        guard let name else {
            throw .setup("\(file):\(entry.line): \(path).name is missing", hint: "for example name: \"{name}_\(path.hasSuffix("only") ? "ro" : "rw")\"")
        }
        guard let password else {
            throw .setup("\(file):\(entry.line): \(path) has no password",
                         hint: "add password: ${VARIABLE:?message} (one for every tenant) or password_env: \"VARIABLE_{SLUG}\" (one per tenant)")
        }
        var login = Config.Roles.Login(name: name, password: password, line: entry.line)
        login.nameLine = nameLine
        return login
    }

    private func checkPattern(_ pattern: String, kind: RolePattern.Kind, path: String, line: Int) throws(TenantryError) {
        do {
            _ = try RolePattern(pattern, kind: kind)
        } catch {
            throw .setup("\(file):\(line): \(path): \(error.message)", hint: error.hint)
        }
    }
}
