import Foundation

/// A parsed `postgresql://` / `postgres://` connection URL, following libpq's URI rules
/// (`conninfo_uri_parse` in `fe-connect.c`).
///
/// Every component stays optional so the resolver knows what the URL specified and what must come from
/// `PG*` variables or defaults. Values are percent-decoded. An empty value (`postgresql:///db`,
/// `?user=`) counts as "not specified".
///
/// Accepted form:
///
///     postgresql://[user[:password]@][host][:port][/database][?param=value&...]
///
/// where `host` is a name, an IPv4 address, a bracketed IPv6 address (`[::1]`, `[fe80::1%25eth0]`) or a
/// percent-encoded unix-socket directory (`%2Fvar%2Frun%2Fpostgresql`). Query parameters: `host`, `hostaddr`,
/// `port`, `user`, `password`, `dbname`, `sslmode`, `sslrootcert`, `sslcert`, `sslkey`, `application_name`,
/// `connect_timeout`, and the legacy `ssl=true` (meaning `sslmode=require`).
///
/// Error messages never contain the URL or its password; they name where the URL came from (`source`).
public struct ConnectionURL: Sendable, Equatable {
    /// Host name, IP address (IPv6 without brackets) or, when it starts with `/`, a unix-socket directory.
    public var host: String?
    /// libpq's `hostaddr`: a numeric IP address to connect to instead of looking up `host`.
    public var hostAddress: String?
    public var port: Int?
    public var user: String?
    public var password: String?
    public var database: String?
    public var sslMode: SSLMode?
    public var sslRootCert: String?
    public var sslCert: String?
    public var sslKey: String?
    public var applicationName: String?
    public var connectTimeout: Int?

    public init(
        host: String? = nil, hostAddress: String? = nil, port: Int? = nil, user: String? = nil,
        password: String? = nil, database: String? = nil, sslMode: SSLMode? = nil, sslRootCert: String? = nil,
        sslCert: String? = nil, sslKey: String? = nil, applicationName: String? = nil, connectTimeout: Int? = nil
    ) {
        self.host = host
        self.hostAddress = hostAddress
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.sslMode = sslMode
        self.sslRootCert = sslRootCert
        self.sslCert = sslCert
        self.sslKey = sslKey
        self.applicationName = applicationName
        self.connectTimeout = connectTimeout
    }

    /// Parses `text`; `source` names where it came from in error messages
    /// (e.g. `"--url"`, `"TENANTRY_DATABASE_URL"`, `"tenantry.yml master.url"`).
    ///
    /// Any password found is registered with `redactor` before anything else can fail.
    public init(parsing text: String, source: String, redactor: Redactor = .shared) throws(TenantryError) {
        var parser = Parser(source: source, redactor: redactor)
        self = try parser.parse(text)
    }

    /// Same as `init(parsing:source:)`.
    public static func parse(_ text: String, source: String, redactor: Redactor = .shared) throws(TenantryError) -> ConnectionURL {
        try ConnectionURL(parsing: text, source: source, redactor: redactor)
    }

    /// True when `host` names a unix-socket directory (libpq: a value starting with `/`).
    public var isUnixSocket: Bool { host?.hasPrefix("/") ?? false }

    /// The query parameters Tenantry understands.
    public static let supportedParameters = [
        "host", "hostaddr", "port", "user", "password", "dbname", "sslmode", "sslrootcert", "sslcert", "sslkey",
        "application_name", "connect_timeout", "ssl",
    ]

    /// libpq parameters Tenantry knows of but does not support (yet): reported as unsupported rather than unknown.
    static let unsupportedLibpqParameters: Set<String> = [
        "service", "passfile", "channel_binding", "options", "fallback_application_name", "keepalives",
        "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout", "replication",
        "gssencmode", "sslnegotiation", "sslpassword", "sslcertmode", "sslcompression", "sslcrl", "sslcrldir",
        "sslsni", "requirepeer", "ssl_min_protocol_version", "ssl_max_protocol_version", "krbsrvname",
        "gsslib", "gssdelegation", "target_session_attrs", "load_balance_hosts", "require_auth",
        "client_encoding", "requiressl", "min_protocol_version", "max_protocol_version", "scram_client_key",
        "scram_server_key", "oauth_issuer", "oauth_client_id", "oauth_client_secret", "oauth_scope",
    ]

    static let formatHint =
        "expected postgresql://user@host:5432/database, with ':' and the password after the user name if needed; percent-encode special characters in the user name and password (e.g. @ as %40, : as %3A, / as %2F)"
}

// MARK: - Parser

extension ConnectionURL {
    fileprivate struct Parser {
        let source: String
        let redactor: Redactor
        /// Whether values from the URL may be quoted in error messages. False when an `@` remains after the
        /// user-info part: then the "host" or "port" could really be a mis-split password.
        var mayQuoteValues = true
        /// Secrets seen so far, scrubbed from any message as a last line of defence.
        var secrets: [String] = []

        init(source: String, redactor: Redactor) {
            self.source = source
            self.redactor = redactor
        }

        // MARK: errors

        func malformed(_ detail: String, hint: String? = nil) -> TenantryError {
            .setup(scrub("the connection URL from \(source) is malformed: \(detail)"), hint: hint ?? ConnectionURL.formatHint)
        }

        func scrub(_ text: String) -> String {
            var result = text
            for secret in secrets where secret.count >= 3 {
                result = result.replacingOccurrences(of: secret, with: Redactor.mask)
            }
            return result
        }

        /// `'value'` when quoting is safe, otherwise empty (so messages read "port is not a number").
        func quoted(_ value: String) -> String? {
            guard mayQuoteValues, value.count <= 64, !value.contains("@") else { return nil }
            return "'\(value)'"
        }

        static func isIdentifier(_ text: String) -> Bool {
            guard let first = text.unicodeScalars.first, text.count <= 64 else { return false }
            guard first == "_" || (first.isASCII && CharacterSet.letters.contains(first)) else { return false }
            return text.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && CharacterSet.alphanumerics.contains($0)) }
        }

        func multipleHosts() -> TenantryError {
            .setup(
                "the connection URL from \(source) lists several hosts; multiple hosts are not supported yet",
                hint: "give a single host, e.g. postgresql://user@host:5432/database"
            )
        }

        // MARK: parsing

        mutating func parse(_ text: String) throws(TenantryError) -> ConnectionURL {
            let bytes = Array(text.utf8)
            let rest: ArraySlice<UInt8>
            if let r = Self.dropPrefix("postgresql://", from: bytes) {
                rest = r
            } else if let r = Self.dropPrefix("postgres://", from: bytes) {
                rest = r
            } else {
                throw badScheme(text)
            }

            var url = ConnectionURL()
            var p = rest.startIndex
            let end = rest.endIndex

            // User info: libpq looks ahead for '@' before the first '/'.
            var look = p
            while look < end && rest[look] != UInt8(ascii: "@") && rest[look] != UInt8(ascii: "/") { look += 1 }
            if look < end && rest[look] == UInt8(ascii: "@") {
                let info = rest[p..<look]
                let colon = info.firstIndex(of: UInt8(ascii: ":"))
                let rawUser = info[info.startIndex..<(colon ?? info.endIndex)]
                if let colon {
                    let rawPassword = info[(colon + 1)...]
                    if !rawPassword.isEmpty {
                        // Register what we can even if decoding fails: the raw text is a secret too.
                        let rawText = String(decoding: rawPassword, as: UTF8.self)
                        secrets.append(rawText)
                        redactor.register(rawText)
                        let password = try decode(rawPassword, what: "the password")
                        secrets.append(password)
                        redactor.register(password)
                        url.password = password
                    }
                }
                if !rawUser.isEmpty { url.user = try decode(rawUser, what: "the user name") }
                p = look + 1
            }
            mayQuoteValues = !rest[p...].contains(UInt8(ascii: "@"))
            // A second '@' before the path means an unencoded '@' in the password: refuse, rather than
            // take part of the password for a host name and print it in connection errors.
            let authorityEnd = rest[p...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? end
            if rest[p..<authorityEnd].contains(UInt8(ascii: "@")) {
                throw malformed("it contains more than one '@' before the host; an '@' inside the password must be written %40")
            }

            // Host (and port).
            var stop: UInt8? = nil  // the character that ended the last component, nil at end of input
            if p < end && rest[p] == UInt8(ascii: "[") {
                let hostStart = p + 1
                var q = hostStart
                while q < end && rest[q] != UInt8(ascii: "]") { q += 1 }
                if q == end { throw malformed("the IPv6 address has no closing ']'") }
                if q == hostStart { throw malformed("the IPv6 address between '[' and ']' is empty") }
                url.host = try decode(rest[hostStart..<q], what: "the host")
                p = q + 1
                if p < end && !Self.isOneOf(rest[p], ":/?,") {
                    throw malformed("unexpected character after the IPv6 address (expected ':', '/' or '?')")
                }
            } else {
                let hostStart = p
                while p < end && !Self.isOneOf(rest[p], ":/?,") { p += 1 }
                if p > hostStart { url.host = try decode(rest[hostStart..<p], what: "the host") }
            }
            stop = p < end ? rest[p] : nil
            if stop == UInt8(ascii: ":") {
                p += 1
                let portStart = p
                while p < end && !Self.isOneOf(rest[p], "/?,") { p += 1 }
                stop = p < end ? rest[p] : nil
                if p > portStart {
                    let portText = try decode(rest[portStart..<p], what: "the port")
                    url.port = try parsePort(portText, name: "port")
                }
            }
            if stop == UInt8(ascii: ",") { throw multipleHosts() }

            // Database.
            if stop == UInt8(ascii: "/") {
                p += 1
                let dbStart = p
                while p < end && rest[p] != UInt8(ascii: "?") { p += 1 }
                stop = p < end ? rest[p] : nil
                if p > dbStart { url.database = try decode(rest[dbStart..<p], what: "the database name") }
            }

            // Query parameters.
            if stop == UInt8(ascii: "?") {
                p += 1
                try parseParameters(rest[p...], into: &url)
            }
            return url
        }

        func badScheme(_ text: String) -> TenantryError {
            if let range = text.range(of: "://") {
                let scheme = String(text[..<range.lowerBound])
                let looksLikeScheme = !scheme.isEmpty && scheme.count <= 32
                    && scheme.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "+-.".unicodeScalars.contains($0)) }
                if looksLikeScheme {
                    return malformed("the scheme '\(scheme)' is not supported; use postgresql:// or postgres://")
                }
            }
            return malformed("it does not start with postgresql:// or postgres://")
        }

        mutating func parseParameters(_ query: ArraySlice<UInt8>, into url: inout ConnectionURL) throws(TenantryError) {
            var p = query.startIndex
            let end = query.endIndex
            while p < end {
                let keyStart = p
                var equals: Int? = nil
                while p < end && query[p] != UInt8(ascii: "&") {
                    if query[p] == UInt8(ascii: "=") {
                        if equals != nil {
                            let key = String(decoding: query[keyStart..<equals!], as: UTF8.self)
                            let name = Self.isIdentifier(key) ? " '\(key)'" : ""
                            throw malformed("query parameter\(name) has more than one '='; percent-encode '=' in values as %3D")
                        }
                        equals = p
                    }
                    p += 1
                }
                let paramEnd = p
                if p < end { p += 1 }  // skip '&'
                guard let equals else {
                    let key = String(decoding: query[keyStart..<paramEnd], as: UTF8.self)
                    let name = Self.isIdentifier(key) && mayQuoteValues ? " '\(key)'" : ""
                    throw malformed("query parameter\(name) has no '=' (expected name=value)")
                }
                let keyword = try decode(query[keyStart..<equals], what: "a query parameter name")
                let rawValue = query[(equals + 1)..<paramEnd]
                if keyword == "password" {
                    let rawText = String(decoding: rawValue, as: UTF8.self)
                    secrets.append(rawText)
                    redactor.register(rawText)
                }
                let value = try decode(rawValue, what: "the value of query parameter '\(Self.isIdentifier(keyword) ? keyword : "?")'")
                try apply(keyword: keyword, value: value, to: &url)
            }
        }

        mutating func apply(keyword: String, value: String, to url: inout ConnectionURL) throws(TenantryError) {
            let v: String? = value.isEmpty ? nil : value
            switch keyword {
            case "host":
                if value.contains(",") { throw multipleHosts() }
                url.host = v
            case "hostaddr":
                if value.contains(",") { throw multipleHosts() }
                url.hostAddress = v
            case "port":
                if value.contains(",") { throw multipleHosts() }
                url.port = try v.map { (text: String) throws(TenantryError) -> Int in try parsePort(text, name: "port") }
            case "user": url.user = v
            case "password":
                if let v {
                    secrets.append(v)
                    redactor.register(v)
                }
                url.password = v
            case "dbname": url.database = v
            case "sslmode":
                guard let v else { url.sslMode = nil; return }
                guard let mode = SSLMode(rawValue: v) else {
                    let shown = quoted(v).map { " \($0)" } ?? ""
                    throw malformed(
                        "sslmode\(shown) is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))",
                        hint: "use e.g. ?sslmode=require or ?sslmode=verify-full"
                    )
                }
                url.sslMode = mode
            case "ssl":
                // libpq accepts the JDBC-style alias ssl=true only.
                guard value == "true" else {
                    throw malformed("the legacy parameter 'ssl' only accepts 'true'", hint: "use sslmode=disable|allow|prefer|require|verify-ca|verify-full instead")
                }
                url.sslMode = .require
            case "sslrootcert": url.sslRootCert = v
            case "sslcert": url.sslCert = v
            case "sslkey": url.sslKey = v
            case "application_name": url.applicationName = v
            case "connect_timeout":
                url.connectTimeout = try v.map { (text: String) throws(TenantryError) -> Int in try parseTimeout(text) }
            default:
                let supported = "supported parameters: \(ConnectionURL.supportedParameters.filter { $0 != "ssl" }.joined(separator: ", "))"
                if ConnectionURL.unsupportedLibpqParameters.contains(keyword) {
                    throw .setup(
                        scrub("the connection URL from \(source) uses the parameter '\(keyword)', which Tenantry does not support yet"),
                        hint: supported
                    )
                }
                let name = Self.isIdentifier(keyword) ? "'\(keyword)'" : "(name not shown)"
                throw .setup(scrub("the connection URL from \(source) has an unknown parameter \(name)"), hint: supported)
            }
        }

        func parsePort(_ text: String, name: String) throws(TenantryError) -> Int {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard let number = Int(trimmed) else {
                let shown = quoted(text).map { " \($0)" } ?? ""
                throw malformed("\(name)\(shown) is not a number")
            }
            guard (1...65535).contains(number) else {
                let shown = mayQuoteValues ? " \(number)" : ""
                throw malformed("\(name)\(shown) is out of range (1-65535)")
            }
            return number
        }

        func parseTimeout(_ text: String) throws(TenantryError) -> Int {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard let number = Int(trimmed), number >= 0 else {
                let shown = quoted(text).map { " \($0)" } ?? ""
                throw malformed("connect_timeout\(shown) is not a whole, non-negative number of seconds")
            }
            return number
        }

        /// libpq's `conninfo_uri_decode`: `%XX` must be two hex digits, `%00` is forbidden, `+` stays `+`.
        func decode(_ bytes: ArraySlice<UInt8>, what: String) throws(TenantryError) -> String {
            switch ConnectionURL.percentDecode(bytes) {
            case .success(let text): return text
            case .failure(.invalidEscape): throw malformed("\(what) contains an invalid percent-encoded sequence ('%' must be followed by two hex digits)")
            case .failure(.nul): throw malformed("\(what) contains the forbidden percent-encoded value %00")
            case .failure(.invalidUTF8): throw malformed("\(what) is not valid UTF-8 once percent-decoded")
            }
        }

        static func dropPrefix(_ prefix: String, from bytes: [UInt8]) -> ArraySlice<UInt8>? {
            let prefixBytes = Array(prefix.utf8)
            guard bytes.count >= prefixBytes.count, bytes[0..<prefixBytes.count].elementsEqual(prefixBytes) else { return nil }
            return bytes[prefixBytes.count...]
        }

        static func isOneOf(_ byte: UInt8, _ set: StaticString) -> Bool {
            set.withUTF8Buffer { $0.contains(byte) }
        }
    }

    enum DecodeFailure: Error { case invalidEscape, nul, invalidUTF8 }

    static func percentDecode(_ bytes: ArraySlice<UInt8>) -> Result<String, DecodeFailure> {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let byte = bytes[i]
            if byte == UInt8(ascii: "%") {
                guard i + 2 < bytes.endIndex,
                      let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2])
                else { return .failure(.invalidEscape) }
                let decoded = high << 4 | low
                if decoded == 0 { return .failure(.nul) }
                out.append(decoded)
                i += 3
            } else {
                out.append(byte)
                i += 1
            }
        }
        guard let text = String(validating: out, as: UTF8.self) else { return .failure(.invalidUTF8) }
        return .success(text)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
