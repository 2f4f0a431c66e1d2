import Foundation
import TenantryTestSupport
import Testing

/// The managed local PostgreSQL (`tenantry dev …` and the on-demand start), with no server configured anywhere.
/// Every test destroys its cluster at the end, pass or fail.
@Suite("Managed local PostgreSQL")
struct ManagedLocalServerTests {
    static var serverProgramsInstalled: Bool {
        ExternalProgram.locate("initdb") != nil || FileManager.default.fileExists(atPath: "/usr/lib/postgresql")
    }

    /// `127.0.0.1:PORT` in `text`.
    static func port(in text: String) -> Int? {
        guard let range = text.range(of: #"127\.0\.0\.1:\d+"#, options: .regularExpression) else { return nil }
        return Int(text[range].split(separator: ":").last!)
    }

    @Test(.enabled(if: serverProgramsInstalled, "PostgreSQL server programs are not installed"))
    func devLifecycle() throws {
        let project = try ManagedProject()
        defer { project.cleanUp() }

        var result = try project.run(["dev", "status"])
        #expect(result.status == 0, CLI.describe(result))
        #expect(result.stdout.contains("not created"), CLI.describe(result))
        #expect(!FileManager.default.fileExists(atPath: project.baseDirectory), "status must not create anything")

        // First start creates and starts; the second finds it running on the same port.
        let first = try project.run(["dev", "start"])
        #expect(first.status == 0, CLI.describe(first))
        #expect(first.stdout.contains("created and started"), CLI.describe(first))
        let port = try #require(Self.port(in: first.stdout), CLI.describe(first))
        #expect(FileManager.default.fileExists(atPath: "\(project.baseDirectory)/data/PG_VERSION"))

        let second = try project.run(["dev", "start"])
        #expect(second.status == 0, CLI.describe(second))
        #expect(second.stdout.contains("already running"), CLI.describe(second))
        #expect(!second.stdout.contains("created"), CLI.describe(second))
        #expect(Self.port(in: second.stdout) == port, CLI.describe(second))

        result = try project.run(["dev", "status"])
        #expect(result.status == 0, CLI.describe(result))
        #expect(result.stdout.contains("running on 127.0.0.1:\(port)"), CLI.describe(result))

        let json = try project.run(["dev", "status", "--json"])
        #expect(json.status == 0, CLI.describe(json))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], CLI.describe(json))
        #expect(report["state"] as? String == "running")
        #expect(report["port"] as? Int == port)

        // dev url: a password-free URL on that port, which really connects.
        result = try project.run(["dev", "url"])
        #expect(result.status == 0, CLI.describe(result))
        let url = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(url == "postgresql://postgres@127.0.0.1:\(port)/postgres", CLI.describe(result))
        #expect(url.range(of: #"^postgresql://[^:@/]+@"#, options: .regularExpression) != nil, "no password in \(url)")
        #expect(try Psql.query(url, "SELECT current_user || '@' || current_setting('port')") == "postgres@\(port)")
        #expect(result.stderr.isEmpty, "dev url on a running server prints nothing else: \(result.stderr)")

        // Stop twice: the second says it is not running.
        result = try project.run(["dev", "stop"])
        #expect(result.status == 0, CLI.describe(result))
        #expect(result.stdout.contains("stopped"), CLI.describe(result))
        result = try project.run(["dev", "stop"])
        #expect(result.status == 0, CLI.describe(result))
        #expect(result.stdout.contains("not running"), CLI.describe(result))
        #expect(throws: Psql.Failure.self, "the server still answers after dev stop") { try Psql.query(url, "SELECT 1") }

        result = try project.run(["dev", "status"])
        #expect(result.status == 0, CLI.describe(result))
        #expect(result.stdout.contains("stopped"), CLI.describe(result))
        #expect(result.stdout.contains("\(port)"), CLI.describe(result))

        // Destroy without --yes and without a terminal: usage error, nothing deleted.
        result = try project.run(["dev", "destroy"])
        #expect(result.status == 64, CLI.describe(result))
        #expect(result.stderr.contains("--yes"), CLI.describe(result))
        #expect(CLI.errorLines(result.stderr).count == 1, CLI.describe(result))
        #expect(FileManager.default.fileExists(atPath: "\(project.baseDirectory)/data/PG_VERSION"), "dev destroy without --yes deleted data")

        result = try project.run(["dev", "destroy", "--yes"])
        #expect(result.status == 0, CLI.describe(result))
        #expect(result.stdout.contains("destroyed"), CLI.describe(result))
        #expect(!FileManager.default.fileExists(atPath: project.baseDirectory))

        result = try project.run(["dev", "status"])
        #expect(result.stdout.contains("not created"), CLI.describe(result))
    }

    @Test(.enabled(if: serverProgramsInstalled, "PostgreSQL server programs are not installed"))
    func destroyWhileRunningStopsTheServer() throws {
        let project = try ManagedProject()
        defer { project.cleanUp() }
        let start = try project.run(["dev", "start"])
        #expect(start.status == 0, CLI.describe(start))
        let url = try project.run(["dev", "url"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try Psql.query(url, "SELECT 1") == "1")

        let destroy = try project.run(["dev", "destroy", "--yes"])
        #expect(destroy.status == 0, CLI.describe(destroy))
        #expect(!FileManager.default.fileExists(atPath: project.baseDirectory))
        #expect(throws: Psql.Failure.self, "the server still answers after dev destroy") { try Psql.query(url, "SELECT 1") }
    }

    /// `up` with no server configured starts the managed one, announcing it in one line, and creates tenantry_master.
    @Test(.enabled(if: serverProgramsInstalled, "PostgreSQL server programs are not installed"), arguments: [false, true])
    func upStartsTheManagedServerOnDemand(alreadyCreated: Bool) throws {
        let project = try ManagedProject()
        defer { project.cleanUp() }
        if alreadyCreated {
            #expect(try project.run(["dev", "start"]).status == 0)
            #expect(try project.run(["dev", "stop"]).status == 0)
            #expect(try project.run(["dev", "status"]).stdout.contains("stopped"))
        }

        let first = try project.run(["up"])
        #expect(first.status == 0, CLI.describe(first))
        let mentions = first.stderr.split(separator: "\n").filter { $0.contains("managed local PostgreSQL") }
        #expect(mentions.count == 1, CLI.describe(first))
        let announcement = String(mentions.first ?? "")
        #expect(announcement.contains(alreadyCreated ? "started" : "created and started"), CLI.describe(first))
        if alreadyCreated { #expect(!announcement.contains("created"), CLI.describe(first)) }
        let port = try #require(Self.port(in: announcement), CLI.describe(first))
        #expect(first.stderr.split(separator: "\n").count == 1, "only the start line on stderr: \(first.stderr)")
        #expect(first.stdout.contains("tenantry_master created"), CLI.describe(first))
        #expect(CLI.errorLines(first.all).isEmpty, CLI.describe(first))

        // The master database exists on the server dev url points at.
        let url = try project.run(["dev", "url", "--database", "tenantry_master"])
        #expect(url.status == 0, CLI.describe(url))
        let masterURL = url.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(masterURL == "postgresql://postgres@127.0.0.1:\(port)/tenantry_master")
        #expect(try Psql.query(masterURL, "SELECT current_database()") == "tenantry_master")

        // Running: no start line, nothing to change.
        let second = try project.run(["up"])
        #expect(second.status == 0, CLI.describe(second))
        #expect(!second.stderr.contains("managed local PostgreSQL"), CLI.describe(second))
        #expect(second.stderr.isEmpty, CLI.describe(second))
        #expect(second.stdout.contains("nothing to change"), CLI.describe(second))

        // --quiet silences the announcement; --json keeps stdout pure JSON.
        #expect(try project.run(["dev", "stop"]).status == 0)
        let quiet = try project.run(["up", "--quiet", "--json"])
        #expect(quiet.status == 0, CLI.describe(quiet))
        #expect(quiet.stderr.isEmpty, CLI.describe(quiet))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(quiet.stdout.utf8)) as? [String: Any], CLI.describe(quiet))
        #expect(object["masterCreated"] as? Bool == false)
        #expect(object["masterDatabase"] as? String == "tenantry_master")
    }

    /// A URL configured anywhere means the managed server is never touched, even when that URL is unreachable.
    @Test func aConfiguredServerNeverStartsTheManagedOne() throws {
        let project = try ManagedProject()
        defer { project.cleanUp() }
        let result = try project.run(["up"], environment: ["DATABASE_URL": CLI.deadURL])
        #expect(result.status == 2, CLI.describe(result))
        #expect(!result.stderr.contains("managed local"), CLI.describe(result))
        #expect(!FileManager.default.fileExists(atPath: project.baseDirectory))
        let pg = try project.run(["up"], environment: ["PGHOST": "127.0.0.1", "PGPORT": "1"])
        #expect(pg.status == 2, CLI.describe(pg))
        #expect(!FileManager.default.fileExists(atPath: project.baseDirectory))
    }
}
