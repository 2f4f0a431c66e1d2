import Foundation
import TenantryTestSupport
import Testing

/// A tenant database held by a prepared transaction cannot be dropped: the error says so, and how to end it.
@Suite("drop and prepared transactions")
struct PreparedTransactionDropTests {
    @Test(TestDatabase.required)
    func thePreparedTransactionIsNamedInTheHint() throws {
        let project = try TenantProject(layout: "database", prefix: "tcli_prepxact")
        defer { project.cleanUp() }
        #expect(try project.run(["up"]).status == 0)
        #expect(try project.run(["tenant", "create", "acme"]).status == 0)
        let gid = "tenantry_test_\(project.suffix)"
        _ = try project.tenantQuery("acme", "BEGIN; INSERT INTO wells VALUES (1, 'held'); PREPARE TRANSACTION '\(gid)'")
        defer { _ = try? project.tenantQuery("acme", "ROLLBACK PREPARED '\(gid)'") }

        let drop = try project.run(["tenant", "drop", "acme", "--yes"])
        #expect(drop.status != 0, CLI.describe(drop))
        #expect(drop.stderr.contains("pg_prepared_xacts") && drop.stderr.contains("ROLLBACK PREPARED"), CLI.describe(drop))
        #expect(!drop.stderr.contains("template"), CLI.describe(drop))
        let down = try project.run(["down", "--yes"])
        #expect(down.status != 0 && down.stderr.contains("pg_prepared_xacts") && !down.stderr.contains("template"), CLI.describe(down))
        #expect(try TestServer.databaseExists(project.master), "down stops at the tenant it cannot drop")

        _ = try project.tenantQuery("acme", "ROLLBACK PREPARED '\(gid)'")
        let again = try project.run(["tenant", "drop", "acme", "--yes"])
        #expect(again.status == 0, CLI.describe(again))
    }
}
