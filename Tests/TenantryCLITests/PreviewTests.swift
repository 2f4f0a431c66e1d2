import Foundation
import TenantryTestSupport
import Testing

/// `preview create|list|destroy` on the real server, from a git checkout on a branch with an unusual name.
@Suite("preview databases")
struct PreviewTests {
    /// A git checkout on `branch` with a database-layout project whose previews get two seeded sample tenants.
    static func checkout(branch: String, base: String) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory("tenantry-preview")
        try directory.write("tenantry.yml", """
            layout: database
            master:
              database: \(base)
            tenants:
              naming: "t_{slug}"
            preview:
              tenants: [demo, acme]
            environments:
              shared:
                guard: true

            """)
        try directory.write("migrations/master/001_plans.sql", nativeMigration(up: "CREATE TABLE plans (id int);"))
        try directory.write("migrations/tenant/001_posts.sql", nativeMigration(up: "CREATE TABLE posts (id int, title text);"))
        try directory.write("seeds/tenant/001_post.sql", "INSERT INTO posts VALUES (1, ${tenant.name});\n")
        let git = try ExternalProgram.run("/usr/bin/env", ["git", "-C", directory.path, "init", "-q", "-b", branch])
        #expect(git.status == 0, "git init: \(git.stderr)")
        return directory
    }

    @Test(TestDatabase.required)
    func createListAndDestroyAPreviewOfAnUnusualBranch() throws {
        let base = TestDatabase.uniqueName("pv")
        let directory = try Self.checkout(branch: "Feature/User-Dashboard!#2", base: base)
        let master = "feature_user_dashboard_2_\(base)"
        let tenants = ["feature_user_dashboard_2_t_acme", "feature_user_dashboard_2_t_demo"]
        let url = try TestServer.url(database: "postgres")
        defer {
            for name in tenants + [master] { TestServer.drop(name) }
            directory.remove()
        }
        let run = { (arguments: [String]) throws -> TenantryBinary.Result in
            try CLI.run(arguments + ["--url", url], in: directory.path)
        }

        let create = try run(["preview", "create"])
        #expect(create.status == 0, CLI.describe(create))
        #expect(create.stdout.contains("Preview of Feature/User-Dashboard!#2: database \(master) created"), CLI.describe(create))
        for tenant in tenants {
            #expect(try Psql.query(try TestServer.url(database: tenant), "SELECT id || ':' || title FROM posts")
                    == "1:\(tenant.hasSuffix("acme") ? "acme" : "demo")", "seeded \(tenant)")
        }
        #expect(try Psql.query(try TestServer.url(database: master), "SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM tenantry.tenants")
                == "acme:ACTIVE,demo:ACTIVE")

        let again = try run(["preview", "create"])
        #expect(again.status == 0 && again.stdout.contains("database \(master) exists") && again.stdout.contains("Done: nothing to change."),
                CLI.describe(again))

        let list = try run(["preview", "list", "--json"])
        let entries = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(entries.count == 1 && entries.first?["branch"] as? String == "Feature/User-Dashboard!#2"
                && entries.first?["database"] as? String == master, CLI.describe(list))
        let table = try run(["preview", "list"])
        #expect(CLI.collapsed(table.stdout).contains("Feature/User-Dashboard!#2 \(master) 0m"), CLI.describe(table))

        let guarded = try run(["preview", "destroy", "--env", "shared"])
        #expect(guarded.status == 64 && guarded.stderr.contains("environment shared is guarded"), CLI.describe(guarded))
        let dryRun = try run(["preview", "destroy", "--dry-run"])
        #expect(dryRun.status == 0, CLI.describe(dryRun))
        for name in tenants + [master] {
            #expect(dryRun.stdout.contains("  - drop database \(name)"), "plan names \(name): \(CLI.describe(dryRun))")
            #expect(try TestServer.databaseExists(name), "--dry-run keeps \(name)")
        }

        let destroy = try run(["preview", "destroy", "--yes"])
        #expect(destroy.status == 0, CLI.describe(destroy))
        for name in tenants + [master] { #expect(try !TestServer.databaseExists(name), "\(name) is gone") }
        let empty = try run(["preview", "list"])
        #expect(empty.stdout.contains("No previews of \(base)"), CLI.describe(empty))
    }

    @Test(TestDatabase.required)
    func twoBranchesWithTheSameSanitizedNameGetTwoPreviewsAndOldOnesGo() throws {
        let base = TestDatabase.uniqueName("pv")
        let directory = try Self.checkout(branch: "feature/a-b", base: base)
        let url = try TestServer.url(database: "postgres")
        var made: [String] = []
        defer {
            for name in made { TestServer.drop(name) }
            directory.remove()
        }
        let run = { (arguments: [String]) throws -> TenantryBinary.Result in
            try CLI.run(arguments + ["--url", url], in: directory.path)
        }
        #expect(try run(["preview", "create"]).status == 0)
        let other = try run(["preview", "create", "--branch", "feature/a_b"])
        #expect(other.status == 0, CLI.describe(other))
        let list = try run(["preview", "list", "--json"])
        let entries = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []
        let names = entries.compactMap { $0["database"] as? String }
        made = names.flatMap { name in [name] + ["t_acme", "t_demo"].map { name.replacingOccurrences(of: base, with: $0) } }
        #expect(names.count == 2 && Set(names).count == 2, CLI.describe(list))
        #expect(names.contains("feature_a_b_\(base)"), CLI.describe(list))

        let young = try run(["preview", "destroy", "--older-than", "1h", "--yes"])
        #expect(young.status == 0 && young.stdout.contains("No preview to destroy"), CLI.describe(young))
        let old = try run(["preview", "destroy", "--older-than", "0m", "--yes"])
        #expect(old.status == 0, CLI.describe(old))
        for name in made { #expect(try !TestServer.databaseExists(name), "\(name) is gone") }

        let bad = try run(["preview", "destroy", "--older-than", "soon"])
        #expect(bad.status == 64 && bad.stderr.contains("is not a duration"), CLI.describe(bad))
    }
}
