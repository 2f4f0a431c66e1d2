import Foundation
import TenantryTestSupport
import Testing

/// `tenantry env show`: resolved settings per environment, their origins, secrets masked; it connects to nothing.
@Suite("env show")
struct EnvShowTests {
    static let canary = "Canary-\(UUID().uuidString.prefix(8))"

    static func project() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory("tenantry-env-show")
        try directory.write("tenantry.yml", """
            layout: schema
            master:
              url: ${MASTER_URL:-postgresql://app@127.0.0.1:1/app}
            migrate:
              concurrency: 4
            environments:
              preview:
                tenants:
                  naming: "pr_{slug}"
              prod:
                guard: true
                master:
                  url: postgresql://app:${PROD_DB_PASSWORD:?from the secret store}@db.internal/app
                migrate:
                  lock_timeout: 5s
                  canary_tier: ${CANARY_TIER}
            """)
        try directory.write(".env", "CANARY_TIER=free\n")
        return directory
    }

    @Test func eachEnvironmentShowsItsOwnValuesAndOrigins() throws {
        let directory = try Self.project()
        defer { directory.remove() }
        let prod = try CLI.run(["env", "show", "prod"], in: directory.path, environment: ["PROD_DB_PASSWORD": Self.canary])
        #expect(prod.status == 0, CLI.describe(prod))
        #expect(prod.stdout.contains("Environment: prod (guarded); defined in tenantry.yml: preview, prod"), CLI.describe(prod))
        let rows = prod.stdout.split(separator: "\n").map { CLI.collapsed(String($0)) }
        for row in ["guard true tenantry.yml:11 (environments.prod)",
                    "master.url postgresql://app:*****@db.internal/app tenantry.yml:13 (environments.prod) via ${PROD_DB_PASSWORD} from environment",
                    "migrate.concurrency 4 tenantry.yml:5",
                    "migrate.lock_timeout 5s tenantry.yml:15 (environments.prod)",
                    "migrate.canary_tier free tenantry.yml:16 (environments.prod) via ${CANARY_TIER} from .env",
                    "tenants.naming t_{hash} default"] {
            #expect(rows.contains(row), "missing row '\(row)': \(CLI.describe(prod))")
        }
        #expect(!prod.stdout.contains(Self.canary) && !prod.stderr.contains(Self.canary), "the password is masked")

        let preview = try CLI.run(["env", "show", "--json"], in: directory.path, environment: ["TENANTRY_ENV": "preview"])
        #expect(preview.status == 0, CLI.describe(preview))
        let report = try JSONSerialization.jsonObject(with: Data(preview.stdout.utf8)) as? [String: Any]
        let settings = report?["settings"] as? [[String: String]] ?? []
        #expect(report?["environment"] as? String == "preview" && report?["guarded"] as? Bool == false, CLI.describe(preview))
        #expect(settings.first { $0["key"] == "tenants.naming" } == ["key": "tenants.naming", "value": "pr_{slug}",
                                                                        "source": "tenantry.yml:9 (environments.preview)"])
        #expect(settings.first { $0["key"] == "master.url" }?["source"] == "tenantry.yml:3 via ${MASTER_URL} (unset)")
    }

    @Test func aMissingSecretOrEnvironmentIsNamed() throws {
        let directory = try Self.project()
        defer { directory.remove() }
        let missing = try CLI.run(["env", "show", "prod"], in: directory.path)
        #expect(missing.status == 2 && missing.stderr.contains("master.url needs PROD_DB_PASSWORD: from the secret store"),
                CLI.describe(missing))
        let unknown = try CLI.run(["env", "show", "staging"], in: directory.path)
        #expect(unknown.status == 2 && unknown.stderr.contains("environment 'staging' is not defined in tenantry.yml (defined: preview, prod)"),
                CLI.describe(unknown))
    }
}
