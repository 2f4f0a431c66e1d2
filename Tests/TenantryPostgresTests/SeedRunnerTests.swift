import Foundation
import Testing
import TenantryCore
import TenantryTestSupport

@testable import TenantryPostgres

@Suite("Seeds: runner")
struct SeedRunnerTests {
    @Test(TestDatabase.required) func appliesOnceAndSkipsOnRerun() async throws {
        try await SeedFixture.with { fixture in
            try await fixture.execute("CREATE TABLE wells (name text)")
            try fixture.folder.write("001_wells.sql", "INSERT INTO wells VALUES ('a');\nINSERT INTO wells VALUES ('b');\n")
            try fixture.folder.write("002_more.sql", "INSERT INTO wells VALUES ('c');\n")
            let runner = try fixture.runner()
            let first = try await runner.apply(try fixture.catalog(), tenant: nil)
            #expect(first.applied.map(\.name) == ["001_wells", "002_more"])
            #expect(first.skipped.isEmpty && first.changed.isEmpty)

            let second = try await runner.apply(try fixture.catalog(), tenant: nil)
            #expect(second.applied.isEmpty)
            #expect(second.skipped.map(\.name) == ["001_wells", "002_more"])
            #expect(try await fixture.count("wells") == 3)
            #expect(try await fixture.column("SELECT name FROM public.tenantry_seeds ORDER BY name") == ["001_wells", "002_more"])
        }
    }

    @Test(TestDatabase.required) func aChangedSeedIsReportedNotRerun() async throws {
        try await SeedFixture.with { fixture in
            try await fixture.execute("CREATE TABLE wells (name text)")
            try fixture.folder.write("001_wells.sql", "INSERT INTO wells VALUES ('a');\n")
            let runner = try fixture.runner()
            _ = try await runner.apply(try fixture.catalog(), tenant: nil)
            try fixture.folder.write("001_wells.sql", "INSERT INTO wells VALUES ('a'), ('b');\n")
            let report = try await runner.apply(try fixture.catalog(), tenant: nil)
            #expect(report.applied.isEmpty && report.skipped.isEmpty)
            #expect(report.changed.map(\.seed.name) == ["001_wells"])
            #expect(report.warnings.count == 1 && report.warnings[0].contains("001_wells.sql"))
            #expect(try await fixture.count("wells") == 1)
        }
    }

    @Test(TestDatabase.required) func aFailingSeedRollsBackWithFileAndLine() async throws {
        try await SeedFixture.with { fixture in
            try await fixture.execute("CREATE TABLE wells (name text NOT NULL)")
            try fixture.folder.write("001_ok.sql", "INSERT INTO wells VALUES ('ok');\n")
            try fixture.folder.write("002_bad.sql", "INSERT INTO wells VALUES ('x');\n\n-- then\nINSERT INTO wells\n  VALUES (NULL);\n")
            let runner = try fixture.runner()
            let error = await PG.tenantryError { _ = try await runner.apply(try fixture.catalog(), tenant: nil) }
            #expect(error?.message.contains("002_bad.sql") == true)
            #expect(error?.message.contains("statement 2 of 2 (line 4)") == true)
            #expect(error?.message.contains("23502") == true)
            #expect(error?.message.contains("tenant test") == true)
            #expect(try await fixture.column("SELECT name FROM wells") == ["ok"])
            #expect(try await fixture.column("SELECT name FROM tenantry_seeds") == ["001_ok"])
        }
    }

    @Test(TestDatabase.required) func schemaTargetKeepsRowsAndHistoryInTheTenantSchema() async throws {
        try await SeedFixture.with { fixture in
            try await fixture.execute("CREATE SCHEMA s_acme")
            try await fixture.execute("CREATE TABLE s_acme.wells (name text)")
            try fixture.folder.write("001_wells.sql", "INSERT INTO wells VALUES (${tenant.name});\n")
            let tenant = Tenant(id: "acme", displayName: "Acme", status: .active, layout: .schema,
                                databaseName: "shared", schemaName: "s_acme")
            let runner = try fixture.runner(schema: "s_acme")
            _ = try await runner.apply(try fixture.catalog(), tenant: tenant)
            #expect(try await fixture.column("SELECT name FROM s_acme.wells") == ["Acme"])
            #expect(try await fixture.column("SELECT name FROM s_acme.tenantry_seeds") == ["001_wells"])
            #expect(try await fixture.column("SELECT to_regclass('public.tenantry_seeds')::text") == ["NULL"])
        }
    }

    @Test(TestDatabase.required) func placeholdersProduceTheTenantsValues() async throws {
        try await SeedFixture.with { fixture in
            try await fixture.execute("CREATE TABLE info (id text, name text, tier text, schema_name text, db text)")
            try fixture.folder.write("001_info.sql", """
                INSERT INTO info VALUES (${tenant.id}, ${tenant.name}, ${tenant.tier}, ${tenant.schema}, ${tenant.database});
                DO $$ BEGIN INSERT INTO info (id) VALUES (${tenant.id} || '-do'); END $$;

                """)
            let tenant = Tenant(id: "obrien", displayName: "O'Brien's \\ Wells", status: .active, layout: .database,
                                databaseName: "t_obrien", schemaName: nil, tier: nil)
            _ = try await fixture.runner().apply(try fixture.catalog(), tenant: tenant)
            #expect(try await fixture.column("SELECT concat_ws('|', id, coalesce(name, 'NULL'), coalesce(tier, 'NULL'), coalesce(schema_name, 'NULL'), coalesce(db, 'NULL')) FROM info ORDER BY id")
                == ["obrien|O'Brien's \\ Wells|NULL|NULL|t_obrien", "obrien-do|NULL|NULL|NULL|NULL"])
        }
    }

    @Test(TestDatabase.required) func concurrentRunsApplyEachSeedOnce() async throws {
        try await SeedFixture.with { fixture in
            try await fixture.execute("CREATE TABLE wells (name text)")
            try fixture.folder.write("001_wells.sql", "INSERT INTO wells SELECT 'w' || g FROM generate_series(1, 50) g;\n")
            let runner = try fixture.runner()
            let catalog = try fixture.catalog()
            async let one = runner.apply(catalog, tenant: nil)
            async let two = runner.apply(catalog, tenant: nil)
            let reports = try await [one, two]
            #expect(reports.map(\.applied.count).sorted() == [0, 1])
            #expect(try await fixture.count("wells") == 50)
        }
    }
}
