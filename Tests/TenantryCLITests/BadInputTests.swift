import Foundation
import TenantryTestSupport
import Testing

/// Bad input gets one clear message and exit 2 (could not start) or 64 (usage), and nothing is created.
@Suite("Bad input: one clear message, exit 2 or 64")
struct BadInputTests {
    static let secret = "Qz7xCanary"

    /// Each URL is malformed; each carries the secret somewhere it must not be echoed from.
    static let malformedURLs: [(url: String, detail: String)] = [
        ("postgresql://u:\(secret)@host:notaport/db", "not a number"),
        ("mysql://u:\(secret)@host/db", "scheme"),
        ("postgresql://u:\(secret)%ZZ@host/db", "percent-encoded"),
        ("postgresql://u:\(secret)@host:99999/db", "out of range"),
        ("postgresql://u:\(secret)@[::1/db", "']'"),
        ("postgresql://u:\(secret)@h1,h2/db", "several hosts"),
        ("postgresql://u@host/db?password=\(secret)&sslmode=bogus", "sslmode 'bogus'"),
        ("postgresql://u@host/db?password=\(secret)&unknownparam=1", "unknown parameter"),
        ("\(secret) is not a url", "postgresql://"),
    ]

    static func expectOneError(_ result: TenantryBinary.Result, exit status: Int32, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == status, CLI.describe(result), sourceLocation: sourceLocation)
        #expect(CLI.errorLines(result.stderr).count == 1, CLI.describe(result), sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, CLI.describe(result), sourceLocation: sourceLocation)
    }

    @Test(arguments: malformedURLs)
    func malformedURLFlag(url: String, detail: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for command in [["up"], ["wait", "--timeout", "1"]] {
            let result = try CLI.run(command + ["--url", url], in: dir.path)
            Self.expectOneError(result, exit: 2)
            let error = try #require(CLI.errorLines(result.stderr).first)
            #expect(error.contains("--url"), CLI.describe(result))
            #expect(result.stderr.contains(detail), CLI.describe(result))
            #expect(!result.all.contains(Self.secret), CLI.describe(result))
            #expect(!result.all.contains(url), CLI.describe(result))
            #expect(!FileManager.default.fileExists(atPath: "\(dir.path)/.tenantry"), "a malformed URL must not fall back to the managed server")
        }
    }

    @Test func malformedURLInTheEnvironmentOrFileNamesItsSource() throws {
        let url = "postgresql://u:\(Self.secret)@host:notaport/db"
        let dir = try TemporaryDirectory()
        defer { dir.remove() }

        var result = try CLI.run(["up"], in: dir.path, environment: ["DATABASE_URL": url])
        Self.expectOneError(result, exit: 2)
        #expect(CLI.errorLines(result.stderr).first?.contains("DATABASE_URL") == true, CLI.describe(result))
        #expect(!result.all.contains(Self.secret), CLI.describe(result))

        result = try CLI.run(["up"], in: dir.path, environment: ["TENANTRY_DATABASE_URL": url])
        Self.expectOneError(result, exit: 2)
        #expect(CLI.errorLines(result.stderr).first?.contains("TENANTRY_DATABASE_URL") == true, CLI.describe(result))

        try dir.write("tenantry.yml", "layout: schema\nmaster:\n  url: ${SECRET_URL}\n")
        try dir.write(".env", "SECRET_URL=\(url)\n")
        result = try CLI.run(["up"], in: dir.path)
        Self.expectOneError(result, exit: 2)
        #expect(CLI.errorLines(result.stderr).first?.contains("master.url") == true, CLI.describe(result))
        #expect(!result.all.contains(Self.secret), CLI.describe(result))
        #expect(!result.all.contains(url), CLI.describe(result))
    }

    @Test(arguments: ["up", "wait"])
    func requiredVariableUnsetInConfig(command: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("tenantry.yml", """
            layout: schema
            # the master server
            master:
              url: ${VAR:?please set VAR}

            """)
        let result = try CLI.run([command], in: dir.path)
        Self.expectOneError(result, exit: 2)
        #expect(result.stderr.contains("please set VAR"), CLI.describe(result))
        #expect(result.stderr.contains("tenantry.yml:4"), CLI.describe(result))
        #expect(!FileManager.default.fileExists(atPath: "\(dir.path)/.tenantry"))

        // Set in .env, the same file is fine as far as the variable goes (the URL itself is unreachable).
        try dir.write(".env", "VAR=\(CLI.deadURL)\n")
        let withVariable = try CLI.run([command] + (command == "wait" ? ["--timeout", "1"] : []), in: dir.path)
        #expect(withVariable.status == 2, CLI.describe(withVariable))
        #expect(!withVariable.stderr.contains("please set VAR"), CLI.describe(withVariable))
        #expect(withVariable.stderr.contains("127.0.0.1:1"), CLI.describe(withVariable))
    }

    @Test(arguments: [
        ("layout: schema\nmastr:\n  database: x\n", 2, "mastr"),
        ("layout: schema\nmaster:\n  database: x\n  urll: postgresql://h/db\n", 4, "master.urll"),
        ("tenants:\n  naming: \"t_{slug}\"\n  extension: [pgcrypto]\n", 3, "tenants.extension"),
        ("layout: schema\nenvironments:\n  prod:\n    gaurd: true\n", 4, "gaurd"),
    ])
    func unknownConfigKey(yaml: String, line: Int, key: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("tenantry.yml", yaml)
        let result = try CLI.run(["up"], in: dir.path)
        Self.expectOneError(result, exit: 2)
        let error = try #require(CLI.errorLines(result.stderr).first)
        #expect(error.contains("tenantry.yml:\(line)"), CLI.describe(result))
        #expect(error.contains(key), CLI.describe(result))
    }

    @Test func invalidYAMLNamesTheLine() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("tenantry.yml", "layout: schema\nmaster:\n  url: [unclosed\n")
        let result = try CLI.run(["up"], in: dir.path)
        Self.expectOneError(result, exit: 2)
        #expect(result.stderr.contains("tenantry.yml"), CLI.describe(result))
        #expect(result.stderr.contains("line"), CLI.describe(result))
    }

    @Test func unreadableConfigExits2() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // Tests run as root, which reads chmod-000 files; a directory cannot be read as a file by anyone.
        try FileManager.default.createDirectory(atPath: "\(dir.path)/tenantry.yml", withIntermediateDirectories: false)
        let result = try CLI.run(["up"], in: dir.path)
        Self.expectOneError(result, exit: 2)
        #expect(CLI.errorLines(result.stderr).first?.contains("tenantry.yml") == true, CLI.describe(result))
        #expect(!FileManager.default.fileExists(atPath: "\(dir.path)/.tenantry"))
    }

    @Test(arguments: ["missing.yml", "sub/dir/missing.yml"])
    func missingConfigFlagExits2(path: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let result = try CLI.run(["up", "--config", path], in: dir.path)
        Self.expectOneError(result, exit: 2)
        #expect(CLI.errorLines(result.stderr).first?.contains(path) == true, CLI.describe(result))
        #expect(!FileManager.default.fileExists(atPath: "\(dir.path)/.tenantry"))
    }

    @Test(arguments: [["up"], ["wait"], ["dev", "status"], ["dev", "start"]], [["--quiet", "-v"], ["-q", "-vv"], ["-v", "--quiet"]])
    func quietAndVerboseTogetherIsUsage(command: [String], flags: [String]) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let result = try CLI.run(command + flags, in: dir.path)
        Self.expectOneError(result, exit: 64)
        #expect(result.stderr.contains("--quiet"), CLI.describe(result))
        #expect(result.stderr.contains("--verbose"), CLI.describe(result))
        #expect(!FileManager.default.fileExists(atPath: "\(dir.path)/.tenantry"))
    }

    @Test(arguments: ["0", "-1", "abc", "1.5"])
    func waitTimeoutMustBePositive(value: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let result = try CLI.run(["wait", "--timeout", value, "--url", CLI.deadURL], in: dir.path, timeout: 30)
        Self.expectOneError(result, exit: 64)
        #expect(result.stderr.contains("--timeout"), CLI.describe(result))
    }

    @Test(arguments: [["up"], ["wait", "--timeout", "1"], ["dev", "start"], ["dev", "url"]])
    func noPostgreSQLProgramsAndNoURL(command: [String]) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let result = try CLI.run(command, in: dir.path, environment: ["TENANTRY_PG_BIN": "/nonexistent"])
        Self.expectOneError(result, exit: 2)
        let error = try #require(CLI.errorLines(result.stderr).first)
        #expect(error.contains("TENANTRY_PG_BIN"), CLI.describe(result))
        #expect(error.contains("initdb"), CLI.describe(result))
        // The hint says what to do: install PostgreSQL / point at an installation.
        let hint = try #require(result.stderr.split(separator: "\n").first { $0.contains("hint:") }, CLI.describe(result))
        #expect(hint.contains("PostgreSQL"), CLI.describe(result))
        #expect(hint.lowercased().contains("install"), CLI.describe(result))
        #expect(!FileManager.default.fileExists(atPath: "\(dir.path)/.tenantry/postgres"), "no half-made cluster")
    }

    @Test func unknownEnvironmentWithoutConfigFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let result = try CLI.run(["up", "--env", "prod"], in: dir.path)
        Self.expectOneError(result, exit: 2)
        #expect(result.stderr.contains("prod"), CLI.describe(result))
        #expect(!FileManager.default.fileExists(atPath: "\(dir.path)/.tenantry"))
    }
}
