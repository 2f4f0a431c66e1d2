import Foundation
import Testing
import TenantryTestSupport

/// `tenants.owner` and `tenants.template`: new tenant databases get that owner and are cloned from that template.
@Suite("Tenant database owner and template")
struct TenantDatabaseOptionsTests {
    @Test(TestDatabase.required)
    func ownerAndTemplateFromConfig() throws {
        let project = try TenantProject(layout: "database", prefix: "tcli_opts")
        let role = "tcli_owner_\(project.suffix)"
        let template = "tcli_tpl_\(project.suffix)"
        let server = try TestDatabase.requireURL()
        defer {
            project.cleanUp()
            TestServer.drop(template)
            _ = try? Psql.query(server, "DROP ROLE IF EXISTS \(role)")
        }
        try Psql.query(server, "CREATE ROLE \(role)")
        try Psql.query(server, "CREATE DATABASE \(template)")
        try Psql.query(try TestServer.url(database: template), "CREATE TABLE from_template (id int)")
        let config = try String(contentsOfFile: project.path + "/tenantry.yml", encoding: .utf8)
        try project.directory.write("tenantry.yml", config + "  owner: \(role)\n  template: \(template)\n")

        let up = try project.run(["up"])
        #expect(up.status == 0, CLI.describe(up))
        let created = try project.run(["tenant", "create", "acme"])
        #expect(created.status == 0, CLI.describe(created))
        let database = try project.location("acme")
        #expect(try Psql.query(server, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '\(database)'") == role)
        #expect(try project.tenantTables("acme").contains("from_template"))
        #expect(try project.tenantTables("acme").contains("wells"))
    }
}
