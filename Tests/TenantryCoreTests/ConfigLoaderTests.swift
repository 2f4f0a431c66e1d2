import Foundation
import Testing
import TenantryTestSupport

@testable import TenantryCore

#if canImport(Glibc)
import Glibc
#endif

@Suite("ConfigLoader")
struct ConfigLoaderTests {
    /// A project folder holding the given files; removed when `body` returns.
    static func withProject<T>(
        _ files: [String: String], _ body: (TemporaryDirectory) throws -> T
    ) throws -> T {
        let directory = try TemporaryDirectory("tenantry-config")
        defer { directory.remove() }
        for (name, contents) in files { try directory.write(name, contents) }
        return try body(directory)
    }

    /// Loads the project in `directory` with only the given process variables.
    static func load(
        _ directory: TemporaryDirectory, environment: [String: String] = [:], configPath: String? = nil, env: String? = nil
    ) throws(TenantryError) -> Project {
        try ConfigLoader(processEnvironment: environment, workingDirectory: directory.path)
            .load(configPath: configPath, environmentFlag: env)
    }

    /// Loads `yaml` as `tenantry.yml` (plus an optional `.env`).
    static func load(
        yaml: String, dotEnv: String? = nil, environment: [String: String] = [:], env: String? = nil
    ) throws -> Project {
        var files = ["tenantry.yml": yaml]
        files[".env"] = dotEnv
        return try withProject(files) { directory in try load(directory, environment: environment, env: env) }
    }

    /// The `TenantryError` that loading `yaml` throws.
    static func error(
        yaml: String, dotEnv: String? = nil, environment: [String: String] = [:], env: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> TenantryError {
        try #require(throws: TenantryError.self, sourceLocation: sourceLocation) {
            try load(yaml: yaml, dotEnv: dotEnv, environment: environment, env: env)
        }
    }

    // MARK: - Finding the file

    @Test func defaultsWithNoFile() throws {
        try Self.withProject([:]) { directory in
            let project = try Self.load(directory, environment: ["HOME": "/root"])
            #expect(project.configFile == nil)
            #expect(project.root == directory.path)
            #expect(project.config == Config())
            #expect(project.config.layout == .schema)
            #expect(project.config.master.url == nil)
            #expect(project.config.master.migrations == "migrations/master")
            #expect(project.config.master.seeds == "seeds/master")
            #expect(project.config.tenants.migrations == "migrations/tenant")
            #expect(project.config.tenants.seeds == "seeds/tenant")
            #expect(project.config.tenants.naming == "t_{hash}")
            #expect(project.config.tenants.extensions == [])
            #expect(project.config.tenants.query == nil)
            #expect(project.config.isGuarded == false)
            #expect(project.environment == ["HOME": "/root"])
        }
    }

    @Test(arguments: ["", "# only a comment\n", "---\n"])
    func emptyFileGivesDefaults(yaml: String) throws {
        try Self.withProject(["tenantry.yml": yaml]) { directory in
            let project = try Self.load(directory)
            #expect(project.configFile == "\(directory.path)/tenantry.yml")
            #expect(project.config == Config())
        }
    }

    @Test func yamlExtensionIsFound() throws {
        try Self.withProject(["tenantry.yaml": "layout: database\n"]) { directory in
            let project = try Self.load(directory)
            #expect(project.configFile == "\(directory.path)/tenantry.yaml")
            #expect(project.config.layout == .database)
        }
    }

    @Test func environmentSelectedWithoutAFileIsAnError() throws {
        try Self.withProject([:]) { directory in
            let error = try #require(throws: TenantryError.self) { try Self.load(directory, env: "prod") }
            #expect(error.message == "environment 'prod' was selected but there is no tenantry.yml in \(directory.path)")
            #expect(error.exitCode == 2)
        }
    }

    @Test func explicitConfigPathRelativeToWorkingDirectory() throws {
        try Self.withProject([
            "config/custom.yml": "master:\n  url: ${URL}\n",
            "config/.env": "URL=postgres://from-config-dir/db\n",
            ".env": "URL=postgres://from-working-dir/db\n",
        ]) { directory in
            let project = try Self.load(directory, configPath: "config/custom.yml")
            #expect(project.root == "\(directory.path)/config")
            #expect(project.configFile == "\(directory.path)/config/custom.yml")
            // The .env next to the config file is the one read.
            #expect(project.config.master.url == "postgres://from-config-dir/db")
        }
    }

    @Test func explicitConfigPathAbsolute() throws {
        try Self.withProject(["elsewhere/tenantry.yml": "layout: database\n"]) { directory in
            let project = try Self.load(directory, configPath: "\(directory.path)/elsewhere/tenantry.yml")
            #expect(project.config.layout == .database)
            #expect(project.root == "\(directory.path)/elsewhere")
        }
    }

    @Test func explicitConfigPathThatDoesNotExist() throws {
        try Self.withProject(["tenantry.yml": "layout: database\n"]) { directory in
            let error = try #require(throws: TenantryError.self) { try Self.load(directory, configPath: "missing.yml") }
            #expect(error.message == "config file missing.yml does not exist")
            #expect(error.hint?.contains("--config") == true)
            #expect(error.exitCode == 2)
        }
    }

    // MARK: - Keys and values

    @Test func allKeysAreParsed() throws {
        let project = try Self.load(yaml: """
            layout: database
            master:
              url: postgres://app@db.example.com:5432/master
              database: registry
              migrations: db/master
              seeds: db/master-seeds
            tenants:
              migrations: db/tenant
              seeds: db/tenant-seeds
              naming: "tenant_{slug}"
              extensions: [pgcrypto, citext]
              query: "SELECT database_name AS id FROM tenants WHERE deleted_at IS NULL"
            """)
        var expected = Config()
        expected.layout = .database
        expected.master.url = "postgres://app@db.example.com:5432/master"
        expected.master.database = "registry"
        expected.master.migrations = "db/master"
        expected.master.seeds = "db/master-seeds"
        expected.tenants.migrations = "db/tenant"
        expected.tenants.seeds = "db/tenant-seeds"
        expected.tenants.naming = "tenant_{slug}"
        expected.tenants.extensions = ["pgcrypto", "citext"]
        expected.tenants.query = "SELECT database_name AS id FROM tenants WHERE deleted_at IS NULL"
        #expect(project.config == expected)
    }

    @Test func blockListOfExtensions() throws {
        let project = try Self.load(yaml: "tenants:\n  extensions:\n    - pgcrypto\n    - \"uuid-ossp\"\n")
        #expect(project.config.tenants.extensions == ["pgcrypto", "uuid-ossp"])
    }

    @Test func partialSectionsKeepOtherDefaults() throws {
        let project = try Self.load(yaml: "master:\n  migrations: sql/master\ntenants:\n  naming: \"t_{slug}\"\n")
        #expect(project.config.master.migrations == "sql/master")
        #expect(project.config.master.seeds == "seeds/master")
        #expect(project.config.tenants.naming == "t_{slug}")
        #expect(project.config.tenants.migrations == "migrations/tenant")
        #expect(project.config.layout == .schema)
    }

    @Test(arguments: ["url: ''", "url: ~", "url:", "url: ${UNSET_MASTER_URL}"])
    func emptyMasterURLIsNil(line: String) throws {
        let project = try Self.load(yaml: "master:\n  \(line)\n  migrations: m\n")
        #expect(project.config.master.url == nil)
        #expect(project.config.master.migrations == "m")
        #expect(MasterSource.resolve(flag: nil, project: project) == .managedLocal)
    }

    @Test(arguments: [
        ("mastr:\n  url: x\n", "tenantry.yml:1: unknown key 'mastr' (did you mean 'master'?)"),
        ("layout: schema\nlayot: database\n", "tenantry.yml:2: unknown key 'layot' (did you mean 'layout'?)"),
        ("layout: schema\nmaster:\n  ur: postgres://h/db\n", "tenantry.yml:3: unknown key 'master.ur' (did you mean 'master.url'?)"),
        ("master:\n  migrations: m\n  seed: s\n", "tenantry.yml:3: unknown key 'master.seed' (did you mean 'master.seeds'?)"),
        ("tenants:\n  extension: [pgcrypto]\n", "tenantry.yml:2: unknown key 'tenants.extension' (did you mean 'tenants.extensions'?)"),
        ("tenants:\n  nameing: x\n", "tenantry.yml:2: unknown key 'tenants.nameing' (did you mean 'tenants.naming'?)"),
        ("colour: red\n", "tenantry.yml:1: unknown key 'colour'"),
        ("master:\n  password: hunter22\n", "tenantry.yml:2: unknown key 'master.password'"),
    ])
    func unknownKeyNamesLineAndSuggests(yaml: String, message: String) throws {
        let error = try Self.error(yaml: yaml)
        #expect(error.message == message)
        #expect(error.exitCode == 2)
    }

    @Test func unknownKeyHintListsKnownKeys() throws {
        let error = try Self.error(yaml: "master:\n  ur: x\n")
        #expect(error.hint == "known keys here: url, database, migrations, format, seeds, new_tenants, connections")
    }

    @Test(arguments: [
        ("layout: schemas\n", "tenantry.yml:1: layout must be database or schema"),
        ("master:\n  url: x\nlayout: [schema]\n", "tenantry.yml:3: layout must be database or schema"),
        ("layout: Schema\n", "tenantry.yml:1: layout must be database or schema"),
        ("tenants:\n  naming: \"\"\n", "tenantry.yml:2: tenants.naming must be a non-empty string"),
        ("master:\n  migrations: [a, b]\n", "tenantry.yml:2: master.migrations must be a non-empty string"),
        ("master:\n  url: {host: x}\n", "tenantry.yml:2: master.url must be a string"),
        ("master: postgres://h/db\n", "tenantry.yml:1: master must be a mapping of keys to values"),
        ("tenants: [a]\n", "tenantry.yml:1: tenants must be a mapping of keys to values"),
        ("- layout\n- master\n", "tenantry.yml:1: the top level must be a mapping of keys to values"),
        ("layout: schema\ntenants:\n  extensions: pgcrypto\n", "tenantry.yml:3: tenants.extensions must be a list, like [pgcrypto, citext]"),
        ("tenants:\n  extensions:\n    - pgcrypto\n    - [nested]\n", "tenantry.yml:4: each item of tenants.extensions must be a non-empty string"),
        ("environments:\n  prod:\n    guard: maybe\n", "tenantry.yml:3: guard must be true or false"),
        ("environments: [prod]\n", "tenantry.yml:1: environments must be a mapping of keys to values"),
        ("environments:\n  prod: yes\n", "tenantry.yml:2: environments.prod must be a mapping of keys to values"),
    ])
    func badValuesNameTheKeyAndLine(yaml: String, message: String) throws {
        let error = try Self.error(yaml: yaml, env: yaml.contains("guard") ? "prod" : nil)
        #expect(error.message == message)
        #expect(error.exitCode == 2)
    }

    @Test func yamlSyntaxErrorNamesTheLine() throws {
        let error = try Self.error(yaml: "layout: schema\nmaster:\n  url: [unclosed\n  migrations: m\ntenants: {\n")
        #expect(error.message.hasPrefix("tenantry.yml is not valid YAML: "))
        #expect(error.message.contains(" at line "))
        #expect(error.exitCode == 2)
    }

    @Test func yamlSyntaxErrorLineIsTheBadLine() throws {
        let error = try Self.error(yaml: "layout: schema\nmaster:\n  url: x\n   bad: indentation\n")
        #expect(error.message.hasPrefix("tenantry.yml is not valid YAML: "))
        #expect(error.message.contains("at line 4,"))
    }

    /// Yams reports the line of the first occurrence.
    @Test(arguments: [
        ("layout: schema\nmaster:\n  url: a\n  url: b\n", "tenantry.yml:3: key 'url' appears twice"),
        ("layout: schema\nlayout: database\n", "tenantry.yml:1: key 'layout' appears twice"),
        ("environments:\n  prod:\n    guard: true\n  prod:\n    guard: false\n", "tenantry.yml:2: key 'prod' appears twice"),
    ])
    func duplicateKeyIsAnError(yaml: String, message: String) throws {
        let error = try Self.error(yaml: yaml)
        #expect(error.message == message)
        #expect(error.exitCode == 2)
    }

    @Test func duplicateKeyMessageDoesNotQuoteTheFile() throws {
        let error = try Self.error(yaml: "master:\n  url: postgres://u:s3cret-pw@h/db\n  url: postgres://u:s3cret-pw@h/db\n")
        #expect(!error.description.contains("s3cret-pw"))
        #expect(!error.description.contains("postgres://"))
    }

    // MARK: - Interpolation

    @Test func processVariablesAreInterpolated() throws {
        let project = try Self.load(
            yaml: "master:\n  url: ${MASTER_URL}\n  database: ${MASTER_DB:-registry}\ntenants:\n  extensions: [\"${EXT:-pgcrypto}\", citext]\n",
            environment: ["MASTER_URL": "postgres://h/db"]
        )
        #expect(project.config.master.url == "postgres://h/db")
        #expect(project.config.master.database == "registry")
        #expect(project.config.tenants.extensions == ["pgcrypto", "citext"])
    }

    @Test func interpolationCanProduceTheLayout() throws {
        let project = try Self.load(yaml: "layout: ${LAYOUT:-schema}\n", environment: ["LAYOUT": "database"])
        #expect(project.config.layout == .database)
    }

    @Test func missingRequiredVariableNamesKeyLineAndMessage() throws {
        let error = try Self.error(yaml: "layout: schema\nmaster:\n  url: ${MASTER_URL:?set MASTER_URL to the registry database}\n")
        #expect(error.message == "tenantry.yml:3: master.url needs MASTER_URL: set MASTER_URL to the registry database")
        #expect(error.hint == "set MASTER_URL in the environment or in .env")
        #expect(error.exitCode == 2)
    }

    @Test func missingRequiredVariableInAListNamesTheKey() throws {
        let error = try Self.error(yaml: "tenants:\n  extensions:\n    - pgcrypto\n    - ${EXT:?}\n")
        #expect(error.message == "tenantry.yml:4: tenants.extensions needs EXT: EXT must be set")
        #expect(error.exitCode == 2)
    }

    @Test func emptyRequiredVariableCountsAsMissing() throws {
        let error = try Self.error(yaml: "master:\n  url: ${MASTER_URL:?}\n", environment: ["MASTER_URL": ""])
        #expect(error.message == "tenantry.yml:2: master.url needs MASTER_URL: MASTER_URL must be set")
    }

    @Test func malformedInterpolationNamesKeyAndLine() throws {
        let error = try Self.error(yaml: "master:\n  migrations: m\n  seeds: cost-${\n")
        #expect(error.message == "tenantry.yml:3: master.seeds: '${' without a closing '}'")
        #expect(error.hint == "write $$ for a literal $")
        #expect(error.exitCode == 2)
    }

    @Test func dotEnvSuppliesVariables() throws {
        let project = try Self.load(
            yaml: "master:\n  url: ${MASTER_URL:?needed}\n",
            dotEnv: "# local settings\nexport MASTER_URL='postgres://dotenv/db'\n"
        )
        #expect(project.config.master.url == "postgres://dotenv/db")
        #expect(project.environment["MASTER_URL"] == "postgres://dotenv/db")
    }

    @Test func processVariableBeatsDotEnv() throws {
        let project = try Self.load(
            yaml: "master:\n  url: ${MASTER_URL}\n  database: ${DB}\n",
            dotEnv: "MASTER_URL=postgres://dotenv/db\nDB=from_dotenv\n",
            environment: ["MASTER_URL": "postgres://process/db"]
        )
        #expect(project.config.master.url == "postgres://process/db")
        #expect(project.config.master.database == "from_dotenv")
        #expect(project.environment["MASTER_URL"] == "postgres://process/db")
        #expect(project.environment["DB"] == "from_dotenv")
    }

    @Test func dotEnvIsReadEvenWithoutAConfigFile() throws {
        try Self.withProject([".env": "DATABASE_URL=postgres://dotenv/db\n"]) { directory in
            let project = try Self.load(directory)
            #expect(project.configFile == nil)
            #expect(project.environment["DATABASE_URL"] == "postgres://dotenv/db")
            #expect(MasterSource.resolve(flag: nil, project: project) == .url("postgres://dotenv/db", source: "DATABASE_URL"))
        }
    }

    @Test func badDotEnvNamesItsLine() throws {
        let error = try Self.error(yaml: "layout: schema\n", dotEnv: "A=1\nthis is not valid\n")
        #expect(error.message == ".env:2: expected KEY=value")
        #expect(error.exitCode == 2)
    }

    // MARK: - Environments

    static let environmentsYAML = """
        layout: schema
        master:
          url: postgres://localhost/master
          migrations: db/master
        tenants:
          extensions: [pgcrypto]
        environments:
          preview:
            layout: database
          prod:
            guard: true
            master:
              url: ${PROD_URL:?set PROD_URL}
            tenants:
              extensions: [pgcrypto, citext]
        """

    @Test func noEnvironmentSelectedUsesTopLevel() throws {
        let project = try Self.load(yaml: Self.environmentsYAML)
        #expect(project.config.environmentName == nil)
        #expect(project.config.environmentNames == ["preview", "prod"])
        #expect(project.config.master.url == "postgres://localhost/master")
        #expect(project.config.tenants.extensions == ["pgcrypto"])
        #expect(project.config.isGuarded == false)
    }

    @Test func selectedEnvironmentDeepMergesOverTopLevel() throws {
        let project = try Self.load(yaml: Self.environmentsYAML, environment: ["PROD_URL": "postgres://prod/master"], env: "prod")
        #expect(project.config.environmentName == "prod")
        #expect(project.config.master.url == "postgres://prod/master")
        // Untouched siblings keep the top-level values.
        #expect(project.config.master.migrations == "db/master")
        #expect(project.config.layout == .schema)
        // Lists are replaced, not appended.
        #expect(project.config.tenants.extensions == ["pgcrypto", "citext"])
        #expect(project.config.isGuarded == true)
    }

    @Test func otherEnvironmentIsNotGuarded() throws {
        let project = try Self.load(yaml: Self.environmentsYAML, env: "preview")
        #expect(project.config.layout == .database)
        #expect(project.config.master.url == "postgres://localhost/master")
        #expect(project.config.isGuarded == false)
    }

    @Test func missingVariableOfAnotherEnvironmentDoesNotFail() throws {
        // PROD_URL is required only by prod; preview and no environment both load.
        #expect(try Self.load(yaml: Self.environmentsYAML, env: "preview").config.environmentName == "preview")
        #expect(try Self.load(yaml: Self.environmentsYAML).config.environmentName == nil)
    }

    @Test func missingVariableOfSelectedEnvironmentFails() throws {
        let error = try Self.error(yaml: Self.environmentsYAML, env: "prod")
        #expect(error.message == "tenantry.yml:13: master.url needs PROD_URL: set PROD_URL")
        #expect(error.exitCode == 2)
    }

    @Test func environmentFlagBeatsTENANTRY_ENV() throws {
        let project = try Self.load(
            yaml: Self.environmentsYAML, environment: ["TENANTRY_ENV": "prod"], env: "preview"
        )
        #expect(project.config.environmentName == "preview")
        #expect(project.config.layout == .database)
    }

    @Test func TENANTRY_ENVSelectsTheEnvironment() throws {
        let project = try Self.load(
            yaml: Self.environmentsYAML, environment: ["TENANTRY_ENV": "prod", "PROD_URL": "postgres://prod/db"]
        )
        #expect(project.config.environmentName == "prod")
        #expect(project.config.isGuarded)
    }

    @Test func TENANTRY_ENVFromDotEnvSelectsTheEnvironment() throws {
        let project = try Self.load(yaml: Self.environmentsYAML, dotEnv: "TENANTRY_ENV=preview\n")
        #expect(project.config.environmentName == "preview")
        #expect(project.config.layout == .database)
    }

    @Test func emptyFlagFallsBackToTENANTRY_ENV() throws {
        let project = try Self.load(yaml: Self.environmentsYAML, environment: ["TENANTRY_ENV": "preview"], env: "")
        #expect(project.config.environmentName == "preview")
    }

    @Test func emptyTENANTRY_ENVSelectsNothing() throws {
        let project = try Self.load(yaml: Self.environmentsYAML, environment: ["TENANTRY_ENV": ""])
        #expect(project.config.environmentName == nil)
    }

    @Test func unknownEnvironmentListsDefinedOnes() throws {
        let error = try Self.error(yaml: Self.environmentsYAML, env: "staging")
        #expect(error.message == "environment 'staging' is not defined in tenantry.yml (defined: preview, prod)")
        #expect(error.hint?.contains("--env") == true)
        #expect(error.exitCode == 2)
    }

    @Test func unknownEnvironmentWhenNoneAreDefined() throws {
        let error = try Self.error(yaml: "layout: schema\n", environment: ["TENANTRY_ENV": "prod"])
        #expect(error.message == "environment 'prod' is not defined in tenantry.yml (none are defined)")
        #expect(error.exitCode == 2)
    }

    @Test(arguments: [nil, "preview"] as [String?])
    func unknownKeyInsideUnselectedEnvironmentIsReported(selected: String?) throws {
        let yaml = "layout: schema\nenvironments:\n  preview:\n    layout: database\n  prod:\n    gaurd: true\n"
        let error = try Self.error(yaml: yaml, env: selected)
        #expect(error.message == "tenantry.yml:6: unknown key 'environments.prod.gaurd' (did you mean 'environments.prod.guard'?)")
        #expect(error.exitCode == 2)
    }

    @Test(arguments: [nil, "preview", "prod"] as [String?])
    func nestedUnknownKeyInsideEnvironmentIsReported(selected: String?) throws {
        let yaml = "layout: schema\nenvironments:\n  preview:\n    layout: database\n  prod:\n    master:\n      ur: postgres://prod/db\n"
        let error = try Self.error(yaml: yaml, env: selected)
        #expect(
            error.message
                == "tenantry.yml:7: unknown key 'environments.prod.master.ur' (did you mean 'environments.prod.master.url'?)"
        )
        #expect(error.exitCode == 2)
    }

    @Test func environmentsCannotNest() throws {
        let error = try Self.error(yaml: "environments:\n  prod:\n    environments:\n      x: {}\n")
        #expect(error.message.hasPrefix("tenantry.yml:3: unknown key 'environments.prod.environments'"))
    }

    @Test func emptyEnvironmentKeepsTopLevelSettings() throws {
        let yaml = "layout: database\nmaster:\n  url: postgres://localhost/master\nenvironments:\n  local:\n  prod:\n    guard: true\n"
        let project = try Self.load(yaml: yaml, env: "local")
        #expect(project.config.environmentName == "local")
        #expect(project.config.environmentNames == ["local", "prod"])
        #expect(project.config.layout == .database)
        #expect(project.config.master.url == "postgres://localhost/master")
        #expect(project.config.isGuarded == false)
    }

    // MARK: - Unreadable files

    @Test func directoryNamedTenantryYmlIsAClearError() throws {
        let directory = try TemporaryDirectory("tenantry-config")
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: "\(directory.path)/tenantry.yml", withIntermediateDirectories: true)
        let error = try #require(throws: TenantryError.self) { try Self.load(directory) }
        #expect(error.message == "cannot read tenantry.yml: it is a directory, not a file")
        #expect(error.exitCode == 2)
    }

    @Test func nonUTF8FileIsAnError() throws {
        try Self.withProject([:]) { directory in
            let bytes = Data("layout: schema\nmaster:\n  url: caf".utf8) + Data([0xE9, 0xFF, 0xFE, 0x0A])
            #expect(FileManager.default.createFile(atPath: "\(directory.path)/tenantry.yml", contents: bytes))
            let error = try #require(throws: TenantryError.self) { try Self.load(directory) }
            #expect(error.message == "cannot read tenantry.yml: it is not UTF-8 text or could not be opened")
            #expect(error.exitCode == 2)
        }
    }

    @Test func nonUTF8DotEnvIsAnError() throws {
        try Self.withProject(["tenantry.yml": "layout: schema\n"]) { directory in
            #expect(FileManager.default.createFile(atPath: "\(directory.path)/.env", contents: Data([0x41, 0x3D, 0xFF, 0x0A])))
            let error = try #require(throws: TenantryError.self) { try Self.load(directory) }
            #expect(error.message == "cannot read .env: it is not UTF-8 text or could not be opened")
            #expect(error.exitCode == 2)
        }
    }
}
