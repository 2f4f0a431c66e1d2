import Testing

@testable import TenantryCore

@Suite("MasterSource")
struct MasterSourceTests {
    static let flagURL = "postgres://flag:flagpw@flag-host/db"
    static let tenantryURL = "postgres://tenantry:tpw@tenantry-host/db"
    static let databaseURL = "postgres://database:dpw@database-host/db"
    static let fileURL = "postgres://file:fpw@file-host/db"

    static func project(
        _ environment: [String: String] = [:], fileURL: String? = nil, configFile: String? = "/srv/app/tenantry.yml"
    ) -> Project {
        var config = Config()
        config.master.url = fileURL
        return Project(root: "/srv/app", configFile: configFile, environment: environment, config: config)
    }

    static let everything = [
        "TENANTRY_DATABASE_URL": tenantryURL, "DATABASE_URL": databaseURL, "PGHOST": "pg-host",
    ]

    @Test func flagBeatsEverything() {
        let source = MasterSource.resolve(flag: Self.flagURL, project: Self.project(Self.everything, fileURL: Self.fileURL))
        #expect(source == .url(Self.flagURL, source: "--url"))
        #expect(source.label == "--url")
    }

    @Test(arguments: [nil, ""] as [String?])
    func tenantryDatabaseURLBeatsDatabaseURLAndFile(flag: String?) {
        let source = MasterSource.resolve(flag: flag, project: Self.project(Self.everything, fileURL: Self.fileURL))
        #expect(source == .url(Self.tenantryURL, source: "TENANTRY_DATABASE_URL"))
        #expect(source.label == "TENANTRY_DATABASE_URL")
    }

    @Test(arguments: [nil, ""] as [String?])
    func databaseURLBeatsFile(tenantryValue: String?) {
        var environment = Self.everything
        environment["TENANTRY_DATABASE_URL"] = tenantryValue
        let source = MasterSource.resolve(flag: "", project: Self.project(environment, fileURL: Self.fileURL))
        #expect(source == .url(Self.databaseURL, source: "DATABASE_URL"))
        #expect(source.label == "DATABASE_URL")
    }

    @Test(arguments: [nil, ""] as [String?])
    func fileBeatsPGHOST(unsetValue: String?) {
        let environment = ["TENANTRY_DATABASE_URL": unsetValue, "DATABASE_URL": unsetValue, "PGHOST": "pg-host"]
            .compactMapValues { $0 }
        let source = MasterSource.resolve(flag: nil, project: Self.project(environment, fileURL: Self.fileURL))
        #expect(source == .url(Self.fileURL, source: "master.url in tenantry.yml"))
        #expect(source.label == "master.url in tenantry.yml")
    }

    @Test func fileLabelNamesTheActualConfigFile() {
        let source = MasterSource.resolve(
            flag: nil, project: Self.project(fileURL: Self.fileURL, configFile: "/srv/app/config/tenantry.yaml")
        )
        #expect(source.label == "master.url in tenantry.yaml")
    }

    @Test(arguments: [nil, ""] as [String?])
    func pgHostBeatsManagedLocal(unsetValue: String?) {
        let environment = ["TENANTRY_DATABASE_URL": unsetValue, "DATABASE_URL": unsetValue, "PGHOST": "pg-host"]
            .compactMapValues { $0 }
        let source = MasterSource.resolve(flag: unsetValue, project: Self.project(environment, fileURL: nil))
        #expect(source == .pgEnvironment)
        #expect(source.label == "PG* environment variables")
    }

    @Test(arguments: [
        [:],
        ["PGHOST": ""],
        ["TENANTRY_DATABASE_URL": "", "DATABASE_URL": "", "PGHOST": ""],
        // Other PG* variables alone do not count: PGHOST decides.
        ["PGUSER": "app", "PGDATABASE": "app", "PGPORT": "5433"],
    ])
    func nothingConfiguredMeansManagedLocal(environment: [String: String]) {
        let source = MasterSource.resolve(flag: "", project: Self.project(environment, fileURL: nil))
        #expect(source == .managedLocal)
        #expect(source.label == "the managed local PostgreSQL")
    }

    @Test(arguments: [
        (flagURL, [:], nil),
        (nil, ["TENANTRY_DATABASE_URL": tenantryURL], nil),
        (nil, ["DATABASE_URL": databaseURL], nil),
        (nil, [:], fileURL),
    ] as [(String?, [String: String], String?)])
    func labelNeverContainsTheURL(flag: String?, environment: [String: String], fileURL: String?) throws {
        let source = MasterSource.resolve(flag: flag, project: Self.project(environment, fileURL: fileURL))
        guard case .url(let url, _) = source else {
            Issue.record("expected a URL source, got \(source)")
            return
        }
        #expect(!source.label.contains(url))
        #expect(!source.label.contains("://"))
        #expect(!source.label.contains("pw"))
    }
}
