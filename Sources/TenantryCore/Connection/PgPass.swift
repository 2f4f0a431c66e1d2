import Foundation

/// A libpq password file (`~/.pgpass` or `PGPASSFILE`): lines of `hostname:port:database:username:password`.
///
/// Rules, as in libpq's `passwordFromFile`:
/// - a field that is exactly `*` matches anything (first four fields only);
/// - `\:` and `\\` escape a colon or backslash (any `\x` stands for `x`);
/// - lines starting with `#` and blank lines are skipped; trailing `\r`/`\n` are stripped;
/// - lines with fewer than five fields never match; text after a fifth unescaped `:` is ignored;
/// - the first matching line wins.
public struct PgPass: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        /// `nil` stands for the wildcard `*`.
        public var host: String?
        public var port: String?
        public var database: String?
        public var user: String?
        public var password: String

        public init(host: String?, port: String?, database: String?, user: String?, password: String) {
            self.host = host
            self.port = port
            self.database = database
            self.user = user
            self.password = password
        }

        public func matches(host: String, port: String, database: String, user: String) -> Bool {
            Self.field(self.host, matches: host) && Self.field(self.port, matches: port)
                && Self.field(self.database, matches: database) && Self.field(self.user, matches: user)
        }

        /// Byte-wise comparison, as libpq does (no Unicode normalisation).
        private static func field(_ pattern: String?, matches value: String) -> Bool {
            guard let pattern else { return true }
            return pattern.utf8.elementsEqual(value.utf8)
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    public init(contents: String) {
        self.init(bytes: Array(contents.utf8))
    }

    public init(bytes: [UInt8]) {
        var entries: [Entry] = []
        for rawLine in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            var line = rawLine
            while let last = line.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: "\n") { line = line.dropLast() }
            guard let first = line.first, first != UInt8(ascii: "#") else { continue }
            if let entry = Self.parseLine(line) { entries.append(entry) }
        }
        self.entries = entries
    }

    /// The password of the first matching entry, or `nil`. An empty password (`h:p:d:u:`) is returned as `""`;
    /// like libpq, it still stops the search.
    public func password(host: String, port: String, database: String, user: String) -> String? {
        entries.first { $0.matches(host: host, port: port, database: database, user: user) }?.password
    }

    /// Looks up the password for a connection, applying libpq's host rule for unix sockets.
    public func password(
        for endpoint: ConnectionSettings.Endpoint, database: String, user: String, defaultSocketDirectory: String
    ) -> String? {
        password(
            host: Self.lookupHost(for: endpoint, defaultSocketDirectory: defaultSocketDirectory),
            port: String(Self.port(of: endpoint)), database: database, user: user
        )
    }

    /// The host name libpq compares against the file's first field: the TCP host as given; for a unix socket,
    /// `localhost` when the directory is the default socket directory, else the directory path itself.
    public static func lookupHost(for endpoint: ConnectionSettings.Endpoint, defaultSocketDirectory: String) -> String {
        switch endpoint {
        case .tcp(let host, _):
            return host.isEmpty ? "localhost" : host
        case .unixSocket(let directory, _):
            return directory.isEmpty || directory == defaultSocketDirectory ? "localhost" : directory
        }
    }

    private static func port(of endpoint: ConnectionSettings.Endpoint) -> Int {
        switch endpoint {
        case .tcp(_, let port), .unixSocket(_, let port): port
        }
    }

    /// Splits one line into four match fields and the password, or `nil` when it has fewer than five fields.
    static func parseLine(_ line: ArraySlice<UInt8>) -> Entry? {
        let backslash = UInt8(ascii: "\\"), colon = UInt8(ascii: ":")
        var fields: [String?] = []
        var i = line.startIndex
        while fields.count < 4 {
            let fieldStart = i
            var value: [UInt8] = []
            var terminated = false
            while i < line.endIndex {
                let byte = line[i]
                if byte == backslash {
                    // A trailing backslash cannot escape anything: the field never ends, so the line cannot match.
                    guard i + 1 < line.endIndex else { return nil }
                    value.append(line[i + 1])
                    i += 2
                } else if byte == colon {
                    terminated = true
                    break
                } else {
                    value.append(byte)
                    i += 1
                }
            }
            guard terminated else { return nil }
            let isWildcard = line[fieldStart..<i].elementsEqual([UInt8(ascii: "*")])
            fields.append(isWildcard ? nil : String(decoding: value, as: UTF8.self))
            i += 1  // skip ':'
        }
        // Password: de-escape up to the next unescaped ':' (libpq keeps a trailing lone backslash).
        var password: [UInt8] = []
        while i < line.endIndex && line[i] != colon {
            if line[i] == backslash && i + 1 < line.endIndex { i += 1 }
            password.append(line[i])
            i += 1
        }
        return Entry(
            host: fields[0], port: fields[1], database: fields[2], user: fields[3],
            password: String(decoding: password, as: UTF8.self)
        )
    }

    // MARK: - Loading

    public enum LoadResult: Sendable, Equatable {
        /// No file at that path: nothing to say.
        case missing
        /// The file exists but was not used; the warning says why and what to do.
        case ignored(warning: String)
        case loaded(PgPass)
    }

    /// Reads a password file with libpq's checks: it must be a regular file (symlinks followed) with no
    /// group or other permission bits (`mode & 0o077 == 0`), else it is ignored with a warning.
    public static func load(path: String) -> LoadResult {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        let mode = UInt32(info.st_mode)
        guard mode & 0o170000 == 0o100000 else {
            return .ignored(warning: "password file \"\(path)\" is not a plain file; ignoring it")
        }
        guard mode & 0o077 == 0 else {
            let octal = String(mode & 0o777, radix: 8)
            return .ignored(
                warning: "password file \"\(path)\" has group or other access (mode \(octal)) and is ignored; permissions should be u=rw (0600) or less: chmod 0600 \(shellQuoted(path))"
            )
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .ignored(warning: "password file \"\(path)\" could not be read; ignoring it")
        }
        return .loaded(PgPass(bytes: Array(data)))
    }

    static func shellQuoted(_ path: String) -> String {
        let safe = path.unicodeScalars.allSatisfy {
            $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "/._-+,@%=".unicodeScalars.contains($0))
        }
        return safe ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
