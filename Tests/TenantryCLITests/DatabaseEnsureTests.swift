import Foundation
import TenantryTestSupport
import Testing

/// `tenantry db ensure NAME` (the seeds' ensure-database.sh) on the real server.
@Suite("db ensure")
struct DatabaseEnsureTests {
    @Test(TestDatabase.required)
    func createsOnceWithOwnerAndTemplateThenLeavesItAlone() throws {
        let directory = try TemporaryDirectory("tenantry-db-ensure")
        let name = TestDatabase.uniqueName("tcli_dbe")
        let template = TestDatabase.uniqueName("tcli_dbt")
        let role = TestDatabase.uniqueName("tcli_dbr")
        let base = try TestDatabase.requireURL()
        defer {
            TestServer.drop(name, template)
            _ = try? Psql.query(base, "DROP ROLE IF EXISTS \(role)")
            directory.remove()
        }
        try Psql.query(base, "CREATE ROLE \(role) NOLOGIN")
        try Psql.query(base, "CREATE DATABASE \(template)")
        try Psql.query(try TestServer.url(database: template), "CREATE TABLE posts (id int)")
        let url = try TestServer.url(database: "postgres")

        let first = try CLI.run(["db", "ensure", name, "--owner", role, "--template", template, "--url", url], in: directory.path)
        #expect(first.status == 0, CLI.describe(first))
        #expect(first.stdout.contains("Created database \(name) (owner \(role)) from template \(template)"), CLI.describe(first))
        #expect(try Psql.query(base, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '\(name)'") == role)
        #expect(try Psql.query(try TestServer.url(database: name), "SELECT count(*) FROM posts") == "0", "cloned from the template")

        try Psql.query(try TestServer.url(database: name), "INSERT INTO posts VALUES (1)")
        let second = try CLI.run(["db", "ensure", name, "--owner", "postgres", "--url", url, "--json"], in: directory.path)
        #expect(second.status == 0, CLI.describe(second))
        let report = try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any]
        #expect(report?["created"] as? Bool == false && report?["owner"] as? String == role, CLI.describe(second))
        #expect(second.stderr.contains("is owned by \(role), not postgres; left as it is"), CLI.describe(second))
        #expect(try Psql.query(try TestServer.url(database: name), "SELECT count(*) FROM posts") == "1", "nothing was lost")
    }

    @Test(TestDatabase.required, arguments: [
        (["db", "ensure", String(repeating: "x", count: 64)], "PostgreSQL allows at most 63"),
        (["db", "ensure", "tcli_dbe_missing_template", "--template", "tcli_no_such_template"], "tcli_no_such_template"),
    ])
    func badInputIsExplainedAndCreatesNothing(arguments: [String], message: String) throws {
        let directory = try TemporaryDirectory("tenantry-db-ensure")
        defer {
            TestServer.drop("tcli_dbe_missing_template")
            directory.remove()
        }
        let result = try CLI.run(arguments + ["--url", try TestServer.url(database: "postgres")], in: directory.path)
        #expect(result.status != 0, CLI.describe(result))
        #expect(result.stderr.contains(message), CLI.describe(result))
        #expect(try !TestServer.databaseExists("tcli_dbe_missing_template"))
    }
}
