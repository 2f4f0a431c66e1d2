import Testing

@testable import TenantryCore

/// Where each setting came from: file line, environment overlay, and the variables read (`env show`).
@Suite("ConfigOrigin")
struct ConfigOriginTests {
    static let yaml = """
        layout: database
        master:
          url: ${MASTER_URL:-postgresql://localhost/app}
          migrations: db/master
        tenants:
          extensions: [pgcrypto, "${EXTRA_EXTENSION:-citext}"]
        environments:
          prod:
            guard: true
            master:
              url: postgresql://app:${DB_PASSWORD}@db/app
        """

    @Test func topLevelKeysPointAtTheirLines() throws {
        let project = try ConfigLoaderTests.load(yaml: Self.yaml)
        #expect(project.origins["layout"] == ConfigOrigin(file: "tenantry.yml", line: 1))
        #expect(project.origins["master.migrations"]?.description == "tenantry.yml:4")
        #expect(project.origins["master.url"]?.description == "tenantry.yml:3 via ${MASTER_URL} (unset)")
        #expect(project.origins["migrate.concurrency"] == nil, "absent keys are defaults")
        #expect(project.origins["guard"] == nil, "an environment that is not selected sets nothing")
    }

    @Test func theSelectedEnvironmentWinsAndVariablesSayWhereTheyWereFound() throws {
        let project = try ConfigLoaderTests.load(
            yaml: Self.yaml, dotEnv: "DB_PASSWORD=fromdotenv\nEXTRA_EXTENSION=hstore\n",
            environment: ["DB_PASSWORD": "fromprocess"], env: "prod")
        #expect(project.origins["guard"]?.description == "tenantry.yml:9 (environments.prod)")
        let url = try #require(project.origins["master.url"])
        #expect(url.description == "tenantry.yml:11 (environments.prod) via ${DB_PASSWORD} from environment")
        #expect(url.readsSecret)
        #expect(project.origins["master.migrations"]?.environment == nil, "merged mappings keep the top level's keys")
        #expect(project.origins["tenants.extensions"]?.description == "tenantry.yml:6 via ${EXTRA_EXTENSION} from .env")
        #expect(project.origins["tenants.extensions"]?.readsSecret == false)
    }

    @Test(arguments: ["$${NOT_A_VARIABLE}", "plain $ sign", "${}"])
    func textWithoutVariablesReadsNone(text: String) throws {
        let provenance = ConfigProvenance(file: "tenantry.yml", processEnvironment: [:], dotEnv: [:])
        let origins = provenance.origins(of: .mapping([.init(key: "layout", line: 1, value: .scalar(text, line: 1))], line: 1),
                                         environment: nil)
        #expect(origins["layout"]?.variables.isEmpty == true)
    }
}
