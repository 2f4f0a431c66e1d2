import Foundation
import Testing

@testable import TenantryCore

@Suite("PgPass")
struct PgPassTests {
    struct Lookup: Sendable, CustomTestStringConvertible {
        let name: String
        let file: String
        var host = "db.example.com"
        var port = "5432"
        var database = "app"
        var user = "alice"
        let expected: String?
        var testDescription: String { name }
    }

    static let lookups: [Lookup] = [
        Lookup(name: "exact match", file: "db.example.com:5432:app:alice:s3cret\n", expected: "s3cret"),
        Lookup(name: "all wildcards", file: "*:*:*:*:any\n", expected: "any"),
        Lookup(name: "wildcard host only", file: "*:5432:app:alice:w\n", expected: "w"),
        Lookup(name: "wildcard database and user", file: "db.example.com:5432:*:*:w2\n", expected: "w2"),
        Lookup(name: "port mismatch", file: "db.example.com:5433:app:alice:nope\n", expected: nil),
        Lookup(name: "host mismatch", file: "other:5432:app:alice:nope\n", expected: nil),
        Lookup(name: "user mismatch", file: "db.example.com:5432:app:bob:nope\n", expected: nil),
        Lookup(name: "database mismatch", file: "db.example.com:5432:other:alice:nope\n", expected: nil),
        Lookup(name: "host prefix is not a match", file: "db.example:5432:app:alice:nope\n", expected: nil),
        Lookup(name: "a star inside a field is literal", file: "db.*:5432:app:alice:nope\n", expected: nil),
        Lookup(
            name: "first match wins",
            file: "db.example.com:5432:app:alice:first\n*:*:*:*:second\n", expected: "first"
        ),
        Lookup(
            name: "wildcard line before exact line wins",
            file: "*:*:*:*:wild\ndb.example.com:5432:app:alice:exact\n", expected: "wild"
        ),
        Lookup(
            name: "comments and blank lines are skipped",
            file: "# db.example.com:5432:app:alice:commented\n\n   \n#*:*:*:*:x\ndb.example.com:5432:app:alice:real\n",
            expected: "real"
        ),
        Lookup(name: "fewer than five fields is ignored", file: "db.example.com:5432:app:alice\n*:*:*:*:ok\n", expected: "ok"),
        Lookup(name: "three fields ignored", file: "*:*:*\n", expected: nil),
        Lookup(name: "escaped colon in password", file: "*:*:*:*:pa\\:ss\n", expected: "pa:ss"),
        Lookup(name: "escaped backslash in password", file: "*:*:*:*:pa\\\\ss\n", expected: "pa\\ss"),
        Lookup(name: "text after a fifth colon is ignored", file: "*:*:*:*:pw:extra:stuff\n", expected: "pw"),
        Lookup(name: "trailing lone backslash kept", file: "*:*:*:*:pw\\\n", expected: "pw\\"),
        Lookup(
            name: "escaped colon in host",
            file: "fe80\\:\\:1:5432:app:alice:v6\n", host: "fe80::1", expected: "v6"
        ),
        Lookup(name: "escaped colon in user", file: "*:*:*:al\\:ice:u\n", user: "al:ice", expected: "u"),
        Lookup(name: "escaped star is literal", file: "\\*:*:*:*:lit\n", expected: nil),
        Lookup(name: "escaped star matches a literal star", file: "\\*:*:*:*:lit\n", host: "*", expected: "lit"),
        Lookup(name: "CRLF line endings", file: "db.example.com:5432:app:alice:crlf\r\n", expected: "crlf"),
        Lookup(name: "no trailing newline", file: "db.example.com:5432:app:alice:eof", expected: "eof"),
        Lookup(name: "empty password still stops the search", file: "*:*:*:*:\n*:*:*:*:later\n", expected: ""),
        Lookup(name: "empty file", file: "", expected: nil),
    ]

    @Test("matches entries like libpq", arguments: lookups)
    func lookup(_ lookup: Lookup) {
        let file = PgPass(contents: lookup.file)
        let found = file.password(host: lookup.host, port: lookup.port, database: lookup.database, user: lookup.user)
        #expect(found == lookup.expected)
    }

    @Test func parsesEntries() {
        let file = PgPass(contents: "# comment\nh\\:x:5432:*:u:p\\:w:ignored\n*:*:*:*\n")
        #expect(file.entries == [PgPass.Entry(host: "h:x", port: "5432", database: nil, user: "u", password: "p:w")])
    }

    // MARK: unix sockets

    struct SocketCase: Sendable, CustomTestStringConvertible {
        let name: String
        let directory: String
        let fileHost: String
        let matches: Bool
        var testDescription: String { name }
    }

    static let socketCases: [SocketCase] = [
        SocketCase(name: "localhost matches the default socket dir", directory: "/var/run/postgresql", fileHost: "localhost", matches: true),
        SocketCase(name: "localhost does not match another socket dir", directory: "/tmp/pg", fileHost: "localhost", matches: false),
        SocketCase(name: "another socket dir matches its own path", directory: "/tmp/pg", fileHost: "/tmp/pg", matches: true),
        SocketCase(name: "the default dir's path does not match (libpq uses localhost)", directory: "/var/run/postgresql", fileHost: "/var/run/postgresql", matches: false),
    ]

    @Test("applies libpq's socket host rule", arguments: socketCases)
    func socketHostRule(_ socket: SocketCase) {
        let file = PgPass(contents: "\(socket.fileHost.replacingOccurrences(of: ":", with: "\\:")):5432:app:alice:sock\n")
        let found = file.password(
            for: .unixSocket(directory: socket.directory, port: 5432), database: "app", user: "alice",
            defaultSocketDirectory: "/var/run/postgresql"
        )
        #expect(found == (socket.matches ? "sock" : nil))
    }

    @Test func tcpLookupUsesHostAndPort() {
        let file = PgPass(contents: "localhost:6432:app:alice:bouncer\nlocalhost:5432:app:alice:direct\n")
        let endpoint = ConnectionSettings.Endpoint.tcp(host: "localhost", port: 5432)
        #expect(file.password(for: endpoint, database: "app", user: "alice", defaultSocketDirectory: "/tmp") == "direct")
        let bouncer = ConnectionSettings.Endpoint.tcp(host: "localhost", port: 6432)
        #expect(file.password(for: bouncer, database: "app", user: "alice", defaultSocketDirectory: "/tmp") == "bouncer")
    }

    // MARK: file checks

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tenantry-pgpass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func writeFile(_ contents: String, at url: URL, mode: Int) throws {
        try Data(contents.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
    }

    @Test("a file readable by group or others is ignored with a warning", arguments: [0o644, 0o640, 0o604, 0o660, 0o601])
    func insecureFileIgnored(mode: Int) throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("pgpass")
        try Self.writeFile("*:*:*:*:pw\n", at: file, mode: mode)

        guard case .ignored(let warning) = PgPass.load(path: file.path) else {
            Issue.record("expected the file to be ignored, got \(PgPass.load(path: file.path))")
            return
        }
        #expect(warning.contains(file.path))
        #expect(warning.contains("chmod 0600 \(file.path)"))
        #expect(!warning.contains("pw\n"))
    }

    @Test("a private file is used", arguments: [0o600, 0o400])
    func privateFileUsed(mode: Int) throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("pgpass")
        try Self.writeFile("h:5432:d:u:pw\n", at: file, mode: mode)
        #expect(PgPass.load(path: file.path) == .loaded(PgPass(entries: [PgPass.Entry(host: "h", port: "5432", database: "d", user: "u", password: "pw")])))
    }

    @Test func missingFileIsSilent() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(PgPass.load(path: dir.appendingPathComponent("nope").path) == .missing)
    }

    @Test func directoryIsIgnoredWithWarning() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: dir.path)
        guard case .ignored(let warning) = PgPass.load(path: dir.path) else {
            Issue.record("a directory must not be read as a password file")
            return
        }
        #expect(warning.contains("not a plain file"))
    }

    @Test func chmodHintQuotesOddPaths() {
        #expect(PgPass.shellQuoted("/home/a/.pgpass") == "/home/a/.pgpass")
        #expect(PgPass.shellQuoted("/tmp/my dir/pg'pass") == "'/tmp/my dir/pg'\\''pass'")
    }
}
