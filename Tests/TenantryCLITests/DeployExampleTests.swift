import Foundation
import Testing
import TenantryTestSupport

/// Examples/deploy: the commands its GitHub Actions workflow and Kubernetes Job run, against its `prod` environment.
@Suite("Examples/deploy end to end")
struct DeployExampleTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Examples/deploy").standardizedFileURL.path

    @Test(TestDatabase.required)
    func theWorkflowsCommandsMigrateTheProdEnvironment() throws {
        let project = try TemporaryDirectory("tenantry-deploy-example")
        let master = TestDatabase.uniqueName("tcli_deploy")
        let slug = "acme-\(UUID().uuidString.prefix(6).lowercased())"
        let tenant = "t_\(slug.replacingOccurrences(of: "-", with: "_"))"
        defer {
            _ = try? Psql.query(try TestDatabase.requireURL(), "ALTER DATABASE \"\(master)_template\" IS_TEMPLATE false")
            TestServer.drop(tenant, "\(master)_template", master)
            project.remove()
        }
        _ = try ExternalProgram.run("/bin/cp", ["-R", Self.example + "/.", project.path])
        let environment = ["PROD_DATABASE_URL": try TestServer.url(database: master)]
        let run = { (arguments: [String]) throws -> TenantryBinary.Result in
            try CLI.run(arguments, in: project.path, environment: environment)
        }
        // `up` stands for the prod server's one-time setup; the workflow itself runs wait, validate and migrate.
        for steps in [["wait", "--env", "prod", "--timeout", "30"], ["up", "--env", "prod"], ["validate", "--env", "prod"],
                      ["template", "refresh", "--env", "prod"], ["tenant", "create", slug, "--env", "prod"],
                      ["migrate", "--env", "prod", "--max-failures", "1%"]] {
            let result = try run(steps)
            #expect(result.status == 0, "\(steps): \(CLI.describe(result))")
        }
        #expect(try Psql.query(try TestServer.url(database: tenant), "SELECT count(*) FROM posts") == "0")
        #expect(try Psql.query(try TestServer.url(database: master), "SELECT count(*) FROM plans") == "0")

        let guarded = try run(["down", "--env", "prod"])
        #expect(guarded.status == 64 && guarded.stderr.contains("environment prod is guarded"), CLI.describe(guarded))
        let down = try run(["down", "--env", "prod", "--yes"])
        #expect(down.status == 0, CLI.describe(down))
        #expect(try !TestServer.databaseExists(tenant) && !TestServer.databaseExists(master))

        for file in ["github-actions-migrate.yml", "kubernetes-migrate-job.yaml"] {
            let text = try String(contentsOfFile: "\(Self.example)/\(file)", encoding: .utf8)
            #expect(text.contains("tenantry migrate --env prod") || text.contains("tenantry migrate --env prod --max-failures 1%")
                    || text.contains("/tenantry migrate --env prod"), "\(file) runs the command tested here")
        }
    }
}
