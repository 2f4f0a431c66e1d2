import Foundation
import Testing

@testable import TenantryCore

@Suite("ConnectionResolver")
struct ConnectionResolverTests {
    static let socketDir = "/sock/default"

    /// A resolver with no files anywhere unless a test points it at some.
    static func resolver(
        _ environment: [String: String] = [:], home: String = "/nonexistent-home-\(UUID().uuidString)",
        fileExists: @escaping @Sendable (String) -> Bool = { _ in false }
    ) -> ConnectionResolver {
        ConnectionResolver(
            environment: environment, osUser: "osuser", homeDirectory: home,
            defaultSocketDirectory: socketDir, fileExists: fileExists
        )
    }

    static func url(_ text: String) throws -> ConnectionURL {
        try ConnectionURL(parsing: text, source: "test")
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tenantry-resolver-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func writeFile(_ contents: String, at url: URL, mode: Int) throws {
        try Data(contents.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
    }

    // MARK: defaults and precedence

    @Test func defaultsWithNothingConfigured() throws {
        let resolution = try Self.resolver().resolve(nil)
        #expect(
            resolution.settings
                == ConnectionSettings(endpoint: .unixSocket(directory: Self.socketDir, port: 5432), user: "osuser", database: "osuser", sslMode: .prefer)
        )
        #expect(resolution.warnings.isEmpty)
        #expect(resolution.passwordSource == nil)
    }

    @Test func environmentFillsEverything() throws {
        let env = [
            "PGHOST": "db.env", "PGPORT": "6543", "PGUSER": "envuser", "PGPASSWORD": "envpw-123",
            "PGDATABASE": "envdb", "PGSSLMODE": "verify-ca", "PGSSLROOTCERT": "/env/ca.pem", "PGSSLCERT": "/env/c.pem",
            "PGSSLKEY": "/env/k.pem", "PGAPPNAME": "envapp", "PGCONNECT_TIMEOUT": "12",
        ]
        let resolution = try Self.resolver(env).resolve(nil)
        #expect(
            resolution.settings
                == ConnectionSettings(
                    endpoint: .tcp(host: "db.env", port: 6543), user: "envuser", password: "envpw-123", database: "envdb",
                    sslMode: .verifyCA, sslRootCert: "/env/ca.pem", sslCert: "/env/c.pem", sslKey: "/env/k.pem",
                    applicationName: "envapp", connectTimeout: 12
                )
        )
        #expect(resolution.passwordSource == .environment)
    }

    @Test func urlBeatsEnvironment() throws {
        let env = [
            "PGHOST": "db.env", "PGPORT": "6543", "PGUSER": "envuser", "PGPASSWORD": "envpw-123",
            "PGDATABASE": "envdb", "PGSSLMODE": "disable", "PGSSLROOTCERT": "/env/ca.pem", "PGSSLCERT": "/env/c.pem",
            "PGSSLKEY": "/env/k.pem", "PGAPPNAME": "envapp", "PGCONNECT_TIMEOUT": "12", "PGHOSTADDR": "10.9.9.9",
        ]
        let url = try Self.url(
            "postgresql://app:urlpw-456@db.url:5433/urldb?sslmode=require&sslrootcert=/u/ca.pem&sslcert=/u/c.pem&sslkey=/u/k.pem&application_name=urlapp&connect_timeout=3"
        )
        let resolution = try Self.resolver(env).resolve(url)
        #expect(
            resolution.settings
                == ConnectionSettings(
                    endpoint: .tcp(host: "db.url", port: 5433), user: "app", password: "urlpw-456", database: "urldb",
                    sslMode: .require, sslRootCert: "/u/ca.pem", sslCert: "/u/c.pem", sslKey: "/u/k.pem",
                    applicationName: "urlapp", connectTimeout: 3
                )
        )
        #expect(resolution.passwordSource == .url)
    }

    @Test func partialURLFallsBackPerSetting() throws {
        let env = ["PGPORT": "6000", "PGUSER": "envuser", "PGDATABASE": "envdb", "PGHOST": "ignored.env"]
        let resolution = try Self.resolver(env).resolve(try Self.url("postgresql://db.url"))
        #expect(resolution.settings.endpoint == .tcp(host: "db.url", port: 6000))
        #expect(resolution.settings.user == "envuser")
        #expect(resolution.settings.database == "envdb")
    }

    @Test func missingDatabaseDefaultsToUser() throws {
        let fromURL = try Self.resolver().resolve(try Self.url("postgresql://app@h"))
        #expect(fromURL.settings.database == "app")
        let fromEnv = try Self.resolver(["PGUSER": "envuser"]).resolve(try Self.url("postgresql://h"))
        #expect(fromEnv.settings.database == "envuser")
        let fromOS = try Self.resolver().resolve(try Self.url("postgresql://h"))
        #expect(fromOS.settings.user == "osuser")
        #expect(fromOS.settings.database == "osuser")
    }

    @Test func urlWithoutHostUsesPGHOSTThenDefaultSocket() throws {
        let url = try Self.url("postgresql:///db")
        #expect(try Self.resolver(["PGHOST": "db.env"]).resolve(url).settings.endpoint == .tcp(host: "db.env", port: 5432))
        #expect(try Self.resolver(["PGHOST": "/run/pg"]).resolve(url).settings.endpoint == .unixSocket(directory: "/run/pg", port: 5432))
        #expect(try Self.resolver().resolve(url).settings.endpoint == .unixSocket(directory: Self.socketDir, port: 5432))
    }

    @Test("socket directories from the URL", arguments: [
        "postgresql://%2Fvar%2Frun%2Fpostgresql:5433/db",
        "postgresql:///db?host=/var/run/postgresql&port=5433",
    ])
    func socketFromURL(_ text: String) throws {
        let settings = try Self.resolver(["PGHOST": "db.env"]).resolve(try Self.url(text)).settings
        #expect(settings.endpoint == .unixSocket(directory: "/var/run/postgresql", port: 5433))
    }

    @Test func ipv6HostResolvesToTCP() throws {
        let settings = try Self.resolver().resolve(try Self.url("postgresql://[fe80::1%25eth0]:5433/db")).settings
        #expect(settings.endpoint == .tcp(host: "fe80::1%eth0", port: 5433))
    }

    @Test func emptyVariablesCountAsUnset() throws {
        let env = ["PGHOST": "", "PGPORT": "", "PGUSER": "", "PGSSLMODE": "", "PGPASSWORD": ""]
        let resolution = try Self.resolver(env).resolve(nil)
        #expect(resolution.settings.endpoint == .unixSocket(directory: Self.socketDir, port: 5432))
        #expect(resolution.settings.user == "osuser")
        #expect(resolution.settings.sslMode == .prefer)
        #expect(resolution.settings.password == nil)
    }

    @Test func hostAddressAlone() throws {
        #expect(try Self.resolver(["PGHOSTADDR": "10.0.0.5"]).resolve(nil).settings.endpoint == .tcp(host: "10.0.0.5", port: 5432))
        #expect(try Self.resolver().resolve(try Self.url("postgresql:///db?hostaddr=::1")).settings.endpoint == .tcp(host: "::1", port: 5432))
    }

    @Test func urlHostShadowsEnvironmentHostPair() throws {
        let settings = try Self.resolver(["PGHOSTADDR": "10.0.0.5", "PGHOST": "db.env"]).resolve(try Self.url("postgresql://db.url/x")).settings
        #expect(settings.endpoint == .tcp(host: "db.url", port: 5432))
    }

    @Test func sslRootCertSystemImpliesVerifyFull() throws {
        let settings = try Self.resolver().resolve(try Self.url("postgresql://h/db?sslrootcert=system")).settings
        #expect(settings.sslMode == .verifyFull)
        let error = #expect(throws: TenantryError.self) {
            try Self.resolver().resolve(try Self.url("postgresql://h/db?sslrootcert=system&sslmode=require"))
        }
        #expect(error?.message.contains("sslrootcert=system") == true)
    }

    @Test func defaultCertificateFilesAreUsedWhenPresent() throws {
        let home = "/home/certs"
        let present: Set<String> = ["/home/certs/.postgresql/root.crt", "/home/certs/.postgresql/postgresql.crt"]
        let settings = try Self.resolver(home: home, fileExists: { present.contains($0) }).resolve(nil).settings
        #expect(settings.sslRootCert == "/home/certs/.postgresql/root.crt")
        #expect(settings.sslCert == "/home/certs/.postgresql/postgresql.crt")
        #expect(settings.sslKey == nil)
        let explicit = try Self.resolver(["PGSSLROOTCERT": "/env/ca.pem"], home: home, fileExists: { present.contains($0) }).resolve(nil)
        #expect(explicit.settings.sslRootCert == "/env/ca.pem")
    }

    @Test func defaultSocketDirectoryDetection() {
        #expect(ConnectionResolver.detectDefaultSocketDirectory(isDirectory: { $0 == "/var/run/postgresql" }) == "/var/run/postgresql")
        #expect(ConnectionResolver.detectDefaultSocketDirectory(isDirectory: { _ in false }) == "/tmp")
        #expect(ConnectionResolver.detectDefaultSocketDirectory(isDirectory: { $0 == "/tmp" }) == "/tmp")
    }

    // MARK: errors

    struct BadEnvironment: Sendable, CustomTestStringConvertible {
        let environment: [String: String]
        let variable: String
        let mentions: String
        var testDescription: String { environment.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ") }
    }

    static let badEnvironments: [BadEnvironment] = [
        BadEnvironment(environment: ["PGPORT": "abc"], variable: "PGPORT", mentions: "'abc' is not a port number"),
        BadEnvironment(environment: ["PGPORT": "70000"], variable: "PGPORT", mentions: "out of range"),
        BadEnvironment(environment: ["PGPORT": "0"], variable: "PGPORT", mentions: "out of range"),
        BadEnvironment(environment: ["PGPORT": "5432,5433"], variable: "PGPORT", mentions: "multiple hosts are not supported yet"),
        BadEnvironment(environment: ["PGSSLMODE": "bogus"], variable: "PGSSLMODE", mentions: "'bogus' is not one of"),
        BadEnvironment(environment: ["PGCONNECT_TIMEOUT": "soon"], variable: "PGCONNECT_TIMEOUT", mentions: "'soon'"),
        BadEnvironment(environment: ["PGHOST": "a,b"], variable: "PGHOST", mentions: "multiple hosts are not supported yet"),
        BadEnvironment(environment: ["PGHOSTADDR": "db.example.com"], variable: "PGHOSTADDR", mentions: "not a numeric IP address"),
        BadEnvironment(environment: ["PGHOST": "db", "PGHOSTADDR": "10.0.0.1"], variable: "PGHOST", mentions: "not supported yet"),
    ]

    @Test("bad PG* values are errors naming the variable", arguments: badEnvironments)
    func badEnvironment(_ bad: BadEnvironment) {
        let error = #expect(throws: TenantryError.self) {
            try Self.resolver(bad.environment.merging(["PGPASSWORD": "env-canary-pw"]) { a, _ in a }).resolve(nil)
        }
        guard let error else { return }
        #expect(error.kind == .setup)
        #expect(error.message.contains(bad.variable), "message was: \(error.message)")
        #expect(error.message.contains(bad.mentions), "message was: \(error.message)")
        #expect(!error.description.contains("env-canary-pw"))
    }

    @Test func badURLThroughResolverNamesTheSource() {
        let error = #expect(throws: TenantryError.self) {
            try Self.resolver().resolve(url: "postgresql://u:res-canary-pw@h:abc/db", source: "tenantry.yml master.url")
        }
        #expect(error?.message.contains("tenantry.yml master.url") == true)
        #expect(error?.description.contains("res-canary-pw") == false)
    }

    @Test func portOverrideFromURLIsNotValidatedAgainstPGPORT() throws {
        // A bad PGPORT does not matter when the URL gives the port (the URL value wins).
        let settings = try Self.resolver(["PGPORT": "abc"]).resolve(try Self.url("postgresql://h:5433/db")).settings
        #expect(settings.port == 5433)
    }

    // MARK: passwords

    @Test func passwordPrecedence() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let passfile = dir.appendingPathComponent("pgpass")
        try Self.writeFile("*:*:*:*:file-pw\n", at: passfile, mode: 0o600)

        let env = ["PGPASSFILE": passfile.path]
        let fromURL = try Self.resolver(env.merging(["PGPASSWORD": "env-pw"]) { a, _ in a }).resolve(try Self.url("postgresql://u:url-pw@h/db"))
        #expect(fromURL.settings.password == "url-pw")
        #expect(fromURL.passwordSource == .url)

        let fromEnv = try Self.resolver(env.merging(["PGPASSWORD": "env-pw"]) { a, _ in a }).resolve(try Self.url("postgresql://u@h/db"))
        #expect(fromEnv.settings.password == "env-pw")
        #expect(fromEnv.passwordSource == .environment)

        let fromFile = try Self.resolver(env).resolve(try Self.url("postgresql://u@h/db"))
        #expect(fromFile.settings.password == "file-pw")
        #expect(fromFile.passwordSource == .passFile(path: passfile.path))
        #expect(fromFile.warnings.isEmpty)
    }

    @Test func homePgpassIsTheDefaultPassfile() throws {
        let home = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        try Self.writeFile("db.example.com:5432:master:app:home-pw\n", at: home.appendingPathComponent(".pgpass"), mode: 0o600)
        let resolution = try Self.resolver(home: home.path).resolve(try Self.url("postgresql://app@db.example.com/master"))
        #expect(resolution.settings.password == "home-pw")
        let otherDatabase = try Self.resolver(home: home.path).resolve(try Self.url("postgresql://app@db.example.com/other"))
        #expect(otherDatabase.settings.password == nil)
    }

    @Test func passfileMatchesTheResolvedSettings() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let passfile = dir.appendingPathComponent("pgpass")
        try Self.writeFile(
            """
            # socket in the default dir is "localhost"
            localhost:5432:envdb:envuser:socket-pw
            db.env:6000:envdb:envuser:tcp-pw
            /other/sock:5432:*:*:other-sock-pw

            """, at: passfile, mode: 0o600
        )
        let base = ["PGPASSFILE": passfile.path, "PGUSER": "envuser", "PGDATABASE": "envdb"]
        let socket = try Self.resolver(base).resolve(nil)
        #expect(socket.settings.password == "socket-pw")

        let tcp = try Self.resolver(base.merging(["PGHOST": "db.env", "PGPORT": "6000"]) { a, _ in a }).resolve(nil)
        #expect(tcp.settings.password == "tcp-pw")

        let wrongPort = try Self.resolver(base.merging(["PGHOST": "db.env"]) { a, _ in a }).resolve(nil)
        #expect(wrongPort.settings.password == nil)

        let otherSocket = try Self.resolver(base).resolve(try Self.url("postgresql:///envdb?host=/other/sock"))
        #expect(otherSocket.settings.password == "other-sock-pw")
    }

    @Test func insecurePassfileIsIgnoredWithWarning() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let passfile = dir.appendingPathComponent("pgpass")
        try Self.writeFile("*:*:*:*:leaky-pw\n", at: passfile, mode: 0o644)

        let resolution = try Self.resolver(["PGPASSFILE": passfile.path]).resolve(nil)
        #expect(resolution.settings.password == nil)
        #expect(resolution.warnings.count == 1)
        #expect(resolution.warnings.first?.contains(passfile.path) == true)
        #expect(resolution.warnings.first?.contains("chmod 0600") == true)
        #expect(resolution.warnings.allSatisfy { !$0.contains("leaky-pw") })

        // Not even read when a password is given some other way: no warning then.
        let withPassword = try Self.resolver(["PGPASSFILE": passfile.path, "PGPASSWORD": "given"]).resolve(nil)
        #expect(withPassword.warnings.isEmpty)
    }

    @Test func missingPassfileIsSilent() throws {
        let resolution = try Self.resolver(["PGPASSFILE": "/nonexistent-\(UUID().uuidString)/pgpass"]).resolve(nil)
        #expect(resolution.warnings.isEmpty)
        #expect(resolution.settings.password == nil)
    }

    @Test func injectedPassfileLoader() throws {
        let resolver = ConnectionResolver(
            environment: [:], osUser: "me", homeDirectory: "/home/me", defaultSocketDirectory: "/s",
            fileExists: { _ in false },
            loadPassFile: { path in
                path == "/home/me/.pgpass" ? .loaded(PgPass(contents: "localhost:5432:me:me:injected-pw\n")) : .missing
            }
        )
        #expect(try resolver.resolve(nil).settings.password == "injected-pw")
    }

    @Test("found passwords are registered with the Redactor", arguments: ["url", "env", "file"])
    func registersPasswords(_ origin: String) throws {
        let secret = "Redact-\(origin)-\(UUID().uuidString.prefix(8))"
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let passfile = dir.appendingPathComponent("pgpass")
        try Self.writeFile("*:*:*:*:\(secret)\n", at: passfile, mode: 0o600)

        let settings: ConnectionSettings
        switch origin {
        case "url":
            settings = try Self.resolver().resolve(url: "postgresql://u:\(secret)@h/db", source: "--url").settings
        case "env":
            settings = try Self.resolver(["PGPASSWORD": secret]).resolve(nil).settings
        default:
            settings = try Self.resolver(["PGPASSFILE": passfile.path]).resolve(nil).settings
        }
        #expect(settings.password == secret)
        let redacted = Redactor.shared.redact("FATAL: password \(secret) rejected")
        #expect(!redacted.contains(secret))
        #expect(redacted.contains(Redactor.mask))
    }

    // MARK: descriptions

    struct DescriptionCase: Sendable, CustomTestStringConvertible {
        let settings: ConnectionSettings
        let redacted: String
        let server: String
        var testDescription: String { redacted }
    }

    static let descriptionCases: [DescriptionCase] = [
        DescriptionCase(
            settings: ConnectionSettings(endpoint: .tcp(host: "db.example.com", port: 5432), user: "app", password: "Desc-secret-1", database: "master", sslMode: .require),
            redacted: "postgresql://app@db.example.com:5432/master?sslmode=require",
            server: "db.example.com:5432"
        ),
        DescriptionCase(
            settings: ConnectionSettings(endpoint: .unixSocket(directory: "/var/run/postgresql", port: 5432), user: "app", password: "Desc-secret-2", database: "master"),
            redacted: "postgresql://app@/master?host=/var/run/postgresql&port=5432",
            server: "/var/run/postgresql:5432"
        ),
        DescriptionCase(
            settings: ConnectionSettings(endpoint: .tcp(host: "::1", port: 6432), user: "a b", database: "d/x"),
            redacted: "postgresql://a%20b@[::1]:6432/d%2Fx?sslmode=prefer",
            server: "[::1]:6432"
        ),
        DescriptionCase(
            settings: ConnectionSettings(endpoint: .tcp(host: "fe80::1%eth0", port: 5432), user: "u", database: "d", sslMode: .verifyFull),
            redacted: "postgresql://u@[fe80::1%25eth0]:5432/d?sslmode=verify-full",
            server: "[fe80::1%eth0]:5432"
        ),
    ]

    @Test("descriptions never include the password", arguments: descriptionCases)
    func describes(_ example: DescriptionCase) throws {
        #expect(example.settings.redactedDescription == example.redacted)
        #expect(example.settings.serverDescription == example.server)
        #expect("\(example.settings)" == example.redacted)
        if let password = example.settings.password {
            #expect(!String(reflecting: example.settings).contains(password))
        }

        // The description parses back to the same server, user, database and sslmode.
        let resolved = try Self.resolver().resolve(try Self.url(example.redacted)).settings
        #expect(resolved.endpoint == example.settings.endpoint)
        #expect(resolved.user == example.settings.user)
        #expect(resolved.database == example.settings.database)
        #expect(resolved.sslMode == example.settings.sslMode)
    }
}
