import Foundation

// `servers:`: other PostgreSQL servers that hold tenants, by name.
//
//     servers:
//       eu-1:
//         url: ${EU1_DATABASE_URL}
//         connections: 20        # budget for fleet work (default 10)
//         new_tenants: false     # placement skips it (full, or being drained)
//       eu-2: ${EU2_DATABASE_URL}  # shorthand: just the URL
extension ConfigDecoder {
    static let serverKeys = ["url", "connections", "new_tenants"]

    func decodeServers(_ node: ConfigNode) throws(TenantryError) -> [Config.Server] {
        var servers: [Config.Server] = []
        for entry in try mapping(node, path: "servers") {
            let path = "servers.\(entry.key)"
            try Self.checkServerName(entry.key, at: "\(file):\(entry.line)")
            if case .scalar = entry.value {
                servers.append(Config.Server(name: entry.key, url: try string(entry, path: path)))
                continue
            }
            let fields = try mapping(entry.value, path: path)
            try checkKeys(fields, allowed: Self.serverKeys, path: "\(path).")
            var url: String?
            var server = Config.Server(name: entry.key, url: "")
            for field in fields {
                switch field.key {
                case "url": url = try optionalString(field, path: "\(path).url")
                case "connections": server.connections = try positiveInt(field, path: "\(path).connections")
                case "new_tenants": server.newTenants = try bool(field, path: "\(path).new_tenants")
                default: break
                }
            }
            guard let url else {
                throw .setup("\(file):\(entry.line): \(path).url is missing or empty",
                             hint: "give the server's URL, e.g. url: ${\(entry.key.uppercased().replacingOccurrences(of: "-", with: "_"))_DATABASE_URL}")
            }
            server.url = url
            servers.append(server)
        }
        return servers
    }

    /// Server names are recorded in the registry and typed on the command line: short, plain and unambiguous.
    static func checkServerName(_ name: String, at place: String) throws(TenantryError) {
        let allowed = name.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 45 || $0 == 95 }
        guard allowed, let first = name.utf8.first, (97...122).contains(first), name.utf8.count <= 63 else {
            throw .setup("\(place): server name \(UntrustedText.quoted(name)) is not allowed",
                         hint: "use 1 to 63 lower-case letters, digits, '-' or '_', starting with a letter (e.g. eu-1)")
        }
        guard name != Config.masterServerName else {
            throw .setup("\(place): 'master' names the master's server already",
                         hint: "choose another name; tenants on the master's server need no entry in servers:")
        }
    }

    func positiveInt(_ entry: ConfigNode.Entry, path: String) throws(TenantryError) -> Int {
        guard case .scalar(let text, _) = entry.value, let value = Int(text), value > 0 else {
            throw .setup("\(file):\(entry.line): \(path) must be a whole number above 0")
        }
        return value
    }

    func nonNegativeInt(_ entry: ConfigNode.Entry, path: String) throws(TenantryError) -> Int {
        guard case .scalar(let text, _) = entry.value, let value = Int(text), value >= 0 else {
            throw .setup("\(file):\(entry.line): \(path) must be a whole number, 0 or more")
        }
        return value
    }
}
