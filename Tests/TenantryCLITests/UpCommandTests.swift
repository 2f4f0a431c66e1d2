import Foundation
import TenantryTestSupport
import Testing

/// `tenantry up` against the shared test server: creates the master database once, then reports nothing to do.
@Suite("up against a configured server")
struct UpCommandTests {
    /// How the server is given to tenantry. The master database's name comes from the URL's path,
    /// or from `master.database` in tenantry.yml.
    enum Way: String, CaseIterable, CustomTestStringConvertible {
        case urlFlag, urlFlagWithDatabaseInConfig, databaseURL, tenantryDatabaseURL, configFileWithDotEnv
        var testDescription: String { rawValue }
    }

    struct Setup {
        var arguments: [String] = []
        var environment: [String: String] = [:]
        var source: String
    }

    static func prepare(_ way: Way, database: String, in dir: TemporaryDirectory) throws -> Setup {
        let url = try TestServer.url(database: database)
        switch way {
        case .urlFlag:
            return Setup(arguments: ["--url", url], source: "--url")
        case .urlFlagWithDatabaseInConfig:
            try dir.write("tenantry.yml", "layout: schema\nmaster:\n  database: \(database)\n")
            return Setup(arguments: ["--url", try TestServer.url(database: "postgres")], source: "--url")
        case .databaseURL:
            return Setup(environment: ["DATABASE_URL": url], source: "DATABASE_URL")
        case .tenantryDatabaseURL:
            return Setup(environment: ["TENANTRY_DATABASE_URL": url], source: "TENANTRY_DATABASE_URL")
        case .configFileWithDotEnv:
            try dir.write("tenantry.yml", "layout: database\nmaster:\n  url: ${MY_URL}\n  database: \(database)\n")
            try dir.write(".env", "# the server\nMY_URL=\(try TestServer.url(database: "postgres"))\n")
            return Setup(source: "master.url in tenantry.yml")
        }
    }

    @Test(TestDatabase.required, arguments: Way.allCases)
    func upCreatesTheMasterDatabaseOnce(way: Way) throws {
        let database = TestDatabase.uniqueName("cli_up")
        defer { TestServer.drop(database) }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let setup = try Self.prepare(way, database: database, in: dir)
        #expect(try !TestServer.databaseExists(database))

        let first = try CLI.run(["up"] + setup.arguments, in: dir.path, environment: setup.environment)
        #expect(first.status == 0, CLI.describe(first))
        #expect(try TestServer.databaseExists(database), "up did not create \(database)")
        #expect(first.stdout.contains(database), CLI.describe(first))
        #expect(first.stdout.contains("created"), CLI.describe(first))
        #expect(first.stdout.contains("(from \(setup.source))"), CLI.describe(first))
        #expect(CLI.errorLines(first.all).isEmpty, CLI.describe(first))
        #expect(!FileManager.default.fileExists(atPath: "\(dir.path)/.tenantry"), "a configured server must not start the managed one")

        let second = try CLI.run(["up"] + setup.arguments, in: dir.path, environment: setup.environment)
        #expect(second.status == 0, CLI.describe(second))
        #expect(second.stdout.contains("nothing to change"), CLI.describe(second))
        #expect(second.stdout.contains("already exists"), CLI.describe(second))
        #expect(!second.stdout.contains("1 database created"), CLI.describe(second))
        #expect(try TestServer.databaseExists(database))
    }

    @Test(TestDatabase.required)
    func jsonOutputReportsWhetherTheMasterWasCreated() throws {
        let database = TestDatabase.uniqueName("cli_up_json")
        defer { TestServer.drop(database) }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let url = try TestServer.url(database: database)

        for expectedCreated in [true, false] {
            let result = try CLI.run(["up", "--json", "--url", url], in: dir.path)
            #expect(result.status == 0, CLI.describe(result))
            let data = Data(result.stdout.utf8)
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], CLI.describe(result))
            #expect(object["masterCreated"] as? Bool == expectedCreated, CLI.describe(result))
            #expect(object["masterDatabase"] as? String == database)
            #expect(object["source"] as? String == "--url")
            #expect((object["serverVersion"] as? String)?.hasPrefix("PostgreSQL ") == true)
            #expect((object["server"] as? String)?.contains("127.0.0.1") == true)
            // Only JSON on stdout: no human lines.
            #expect(!result.stdout.contains("Done:"), CLI.describe(result))
        }
        #expect(try TestServer.databaseExists(database))
    }

    /// `--url` beats TENANTRY_DATABASE_URL beats DATABASE_URL beats master.url: the losers point nowhere,
    /// so the command only succeeds if the winner is the one used.
    @Test(TestDatabase.required, arguments: ["--url", "TENANTRY_DATABASE_URL", "DATABASE_URL", "master.url"])
    func precedence(winner: String) throws {
        let database = TestDatabase.uniqueName("cli_up_prec")
        defer { TestServer.drop(database) }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let good = try TestServer.url(database: database)
        let levels = ["--url", "TENANTRY_DATABASE_URL", "DATABASE_URL", "master.url"]
        let winnerIndex = try #require(levels.firstIndex(of: winner))

        var arguments = ["up"]
        var environment: [String: String] = [:]
        var dotEnv = ""
        for (index, level) in levels.enumerated() where index >= winnerIndex {
            let value = index == winnerIndex ? good : CLI.deadURL
            switch level {
            case "--url": arguments += ["--url", value]
            case "master.url": dotEnv = "MY_URL=\(value)\n"
            default: environment[level] = value
            }
        }
        try dir.write("tenantry.yml", "master:\n  url: ${MY_URL:-\(CLI.deadURL)}\n")
        if !dotEnv.isEmpty { try dir.write(".env", dotEnv) }

        let result = try CLI.run(arguments, in: dir.path, environment: environment)
        #expect(result.status == 0, CLI.describe(result))
        let label = winner == "master.url" ? "master.url in tenantry.yml" : winner
        #expect(result.stdout.contains("(from \(label))"), CLI.describe(result))
        #expect(try TestServer.databaseExists(database))
    }

    /// A real environment variable beats the same one in .env.
    @Test(TestDatabase.required)
    func processEnvironmentBeatsDotEnv() throws {
        let database = TestDatabase.uniqueName("cli_up_env")
        defer { TestServer.drop(database) }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("tenantry.yml", "master:\n  url: ${MY_URL}\n")
        try dir.write(".env", "MY_URL=\(CLI.deadURL)\nDATABASE_URL=\(CLI.deadURL)\n")
        let result = try CLI.run(["up"], in: dir.path, environment: ["MY_URL": CLI.deadURL, "DATABASE_URL": try TestServer.url(database: database)])
        #expect(result.status == 0, CLI.describe(result))
        #expect(result.stdout.contains("(from DATABASE_URL)"), CLI.describe(result))
        #expect(try TestServer.databaseExists(database))
    }

    @Test(TestDatabase.required)
    func waitSucceedsAgainstTheServer() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let result = try CLI.run(["wait", "--timeout", "5", "--url", try TestServer.url(database: "postgres")], in: dir.path)
        #expect(result.status == 0, CLI.describe(result))
        #expect(result.stdout.hasPrefix("Ready:"), CLI.describe(result))
        let json = try CLI.run(["wait", "--json", "--url", try TestServer.url(database: "postgres")], in: dir.path)
        #expect(json.status == 0, CLI.describe(json))
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Bool]
        #expect(object == ["ready": true], CLI.describe(json))
    }

    @Test func waitTimesOutWithExit2() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let started = Date()
        let result = try CLI.run(["wait", "--timeout", "1", "--url", CLI.deadURL], in: dir.path, timeout: 30)
        let elapsed = Date().timeIntervalSince(started)
        #expect(result.status == 2, CLI.describe(result))
        #expect(CLI.errorLines(result.stderr).count == 1, CLI.describe(result))
        #expect(result.stderr.contains("within 1 s"), CLI.describe(result))
        #expect(elapsed < 10, "wait --timeout 1 took \(elapsed) s")
    }
}
