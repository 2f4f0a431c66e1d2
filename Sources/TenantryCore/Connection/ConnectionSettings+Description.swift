import Foundation

extension ConnectionSettings: CustomStringConvertible, CustomDebugStringConvertible {
    /// A URL for logs and messages that never contains the password, e.g.
    /// `postgresql://app@db.example.com:5432/master?sslmode=require`, or for a unix socket
    /// `postgresql://app@/master?host=/var/run/postgresql&port=5432`. It parses back with `ConnectionURL`.
    public var redactedDescription: String {
        let user = Self.encode(self.user, allowing: Self.unreserved)
        let database = Self.encode(self.database, allowing: Self.unreserved)
        var query: [String] = []
        var text: String
        switch endpoint {
        case .tcp(let host, let port):
            text = "postgresql://\(user)@\(Self.urlHost(host)):\(port)/\(database)"
            query.append("sslmode=\(sslMode.rawValue)")
        case .unixSocket(let directory, let port):
            text = "postgresql://\(user)@/\(database)"
            query.append("host=\(Self.encode(directory, allowing: Self.unreserved.union(CharacterSet(charactersIn: "/"))))")
            query.append("port=\(port)")
            if sslMode != .prefer { query.append("sslmode=\(sslMode.rawValue)") }
        }
        text += "?" + query.joined(separator: "&")
        return text
    }

    /// The server alone: `db.example.com:5432`, `[::1]:5432`, or `/var/run/postgresql:5432` for a unix socket.
    public var serverDescription: String {
        switch endpoint {
        case .tcp(let host, let port):
            host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unixSocket(let directory, let port):
            "\(directory):\(port)"
        }
    }

    public var description: String { redactedDescription }
    public var debugDescription: String { "ConnectionSettings(\(redactedDescription))" }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    )

    private static func encode(_ text: String, allowing allowed: CharacterSet) -> String {
        text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// IPv6 addresses go in brackets, with a zone id's `%` encoded as `%25`.
    private static func urlHost(_ host: String) -> String {
        if host.contains(":") {
            return "[" + encode(host, allowing: unreserved.union(CharacterSet(charactersIn: ":"))) + "]"
        }
        return encode(host, allowing: unreserved)
    }
}
