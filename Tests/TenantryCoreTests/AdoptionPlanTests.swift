import Foundation
import Testing

@testable import TenantryCore

/// How another tool's history rows are matched to a folder, and what blocks an adoption.
@Suite("adoption plans")
struct AdoptionPlanTests {
    static let flyway: [String: String] = [
        "V1__items.sql": "CREATE TABLE a (id int);\r\nINSERT INTO a VALUES (1);\n",
        "V2__name.sql": "SELECT 2;\n",
        "V3__code.sql": "SELECT 3;\n",
    ]

    @Test func flywayChecksumIsFlywaysCRC32OverLinesWithoutBreaks() throws {
        let catalog = try CatalogFixture.load(Self.flyway)
        // zlib.crc32(b"CREATE TABLE a (id int);INSERT INTO a VALUES (1);") as a signed 32-bit integer.
        #expect(catalog.migrations[0].toolStamp == "-279898995")
        let bom = try CatalogFixture.load(["V1__x.sql": "\u{FEFF}-- éé x"])
        #expect(bom.migrations[0].toolStamp == "-1422306281", "the byte-order mark is not part of the checksum")
    }

    @Test func flywayRowsMatchByVersionAndAChangedFileBlocksUnlessAccepted() throws {
        let catalog = try CatalogFixture.load(Self.flyway).migrations
        let rows = [ForeignEntry(key: .version("1"), checksum: "-279898995", label: "V1__items.sql"),
                    ForeignEntry(key: .version("2"), checksum: "12345", label: "V2__name.sql")]
        let plan = AdoptionPlan.make(catalog: catalog, tool: .flyway, table: "public.flyway_schema_history", entries: rows, applied: [])
        #expect(plan.isBlocked)
        #expect(plan.problems == ["V2__name.sql changed since flyway applied it (public.flyway_schema_history records another checksum): "
                                  + "restore the file as it ran, or check the database matches it and adopt with --accept-changed"])
        let accepted = AdoptionPlan.make(catalog: catalog, tool: .flyway, table: "t", entries: rows, applied: [], acceptChanged: true)
        #expect(!accepted.isBlocked && accepted.adopted.map(\.migration.version.text) == ["1", "2"])
        #expect(accepted.pending.map(\.version.text) == ["3"])
    }

    @Test func aBaselineRowAdoptsEverythingUpToItAndAFailedRowBlocks() throws {
        let catalog = try CatalogFixture.load(Self.flyway).migrations
        let baseline = AdoptionPlan.make(catalog: catalog, tool: .flyway, table: "t",
                                         entries: [ForeignEntry(key: .upTo("2.5", exact: false), label: "baseline 2.5")], applied: [])
        #expect(baseline.adopted.map(\.migration.version.text) == ["1", "2"] && !baseline.isBlocked)
        let failed = AdoptionPlan.make(catalog: catalog, tool: .flyway, table: "t",
                                       entries: [ForeignEntry(key: .version("1"), failure: "failed (success = false)", label: "V1__items.sql")], applied: [])
        #expect(failed.problems.first?.hasPrefix("t has V1__items.sql failed (success = false): fix the database by hand, then `flyway repair`") == true)
    }

    @Test func golangMigratesVersionMustBeAFile() throws {
        let catalog = try CatalogFixture.load(["000001_a.up.sql": "SELECT 1;", "000002_b.up.sql": "SELECT 2;"]).migrations
        let known = AdoptionPlan.make(catalog: catalog, tool: .golangMigrate, table: "t", entries: [ForeignEntry(key: .upTo("1", exact: true), label: "version 1")], applied: [])
        #expect(known.adopted.map(\.migration.version.text) == ["000001"] && known.pending.count == 1)
        let unknown = AdoptionPlan.make(catalog: catalog, tool: .golangMigrate, table: "t", entries: [ForeignEntry(key: .upTo("7", exact: true), label: "version 7")], applied: [])
        #expect(unknown.isBlocked && unknown.problems[0].hasPrefix("t records version 7, which no file of the folder matches"))
    }

    @Test func drizzleMatchesByHashAndNamesAChangedFileByItsJournalTime() throws {
        let journal = #"{"entries": [{"tag": "0000_a", "when": 1700000000000}, {"tag": "0001_b", "when": 1700000001000}]}"#
        let catalog = try CatalogFixture.load(["meta/_journal.json": journal, "0000_a.sql": "SELECT 1;", "0001_b.sql": "SELECT 2;"]).migrations
        #expect(catalog.map(\.toolStamp) == ["1700000000000", "1700000001000"])
        let rows = [ForeignEntry(key: .hash(catalog[0].checksum.uppercased(), when: "1700000000000"), label: "a"),
                    ForeignEntry(key: .hash(String(repeating: "0", count: 64), when: "1700000001000"), label: "b")]
        let plan = AdoptionPlan.make(catalog: catalog, tool: .drizzle, table: "drizzle.__drizzle_migrations", entries: rows, applied: [])
        #expect(plan.problems.count == 1 && plan.problems[0].hasPrefix("0001_b.sql changed since drizzle applied it"))

        // A file from a merged branch, older than drizzle's latest row: drizzle never ran it; it stays pending, said.
        let merged = #"{"entries": [{"tag": "0000_a", "when": 1700000000000}, {"tag": "0001_b", "when": 1690000000000}]}"#
        let branch = try CatalogFixture.load(["meta/_journal.json": merged, "0000_a.sql": "SELECT 1;", "0001_b.sql": "SELECT 2;"]).migrations
        let skipped = AdoptionPlan.make(catalog: branch, tool: .drizzle, table: "t",
                                        entries: [ForeignEntry(key: .hash(branch[0].checksum, when: "1700000000000"), label: "a")], applied: [])
        #expect(skipped.adopted.map(\.migration.file) == ["0000_a.sql"] && skipped.pending.map(\.file) == ["0001_b.sql"] && !skipped.isBlocked)
        #expect(skipped.notes.first?.hasPrefix("0001_b.sql has no row in t, but its journal time is before the latest created_at") == true)
    }

    @Test func prismaAndKnexMatchByNameAndWhatTenantryRecordedIsKept() throws {
        let prisma = try CatalogFixture.load(["migration_lock.toml": "provider = \"postgresql\"\n", "20240101000000_a/migration.sql": "SELECT 1;"]).migrations
        let applied = Date(timeIntervalSince1970: 1_700_000_000)
        let plan = AdoptionPlan.make(catalog: prisma, tool: .prisma, table: "t",
                                     entries: [ForeignEntry(key: .name("20240101000000_a"), checksum: prisma[0].checksum, appliedAt: applied, label: "x")], applied: [])
        #expect(plan.adopted == [AdoptionPlan.Adopted(migration: prisma[0], appliedAt: applied)])
        let native = try CatalogFixture.load(["20240101000000_a.sql": "-- migrate:up\nSELECT 1;\n", "20240102000000_b.sql": "-- migrate:up\nSELECT 2;\n"]).migrations
        let recorded = AppliedMigration(version: native[0].version, name: "a", checksum: native[0].checksum, appliedAt: applied,
                                        executionMilliseconds: 1, appliedBy: "me", kind: .applied)
        let knex = AdoptionPlan.make(catalog: native, tool: .knex, table: "t",
                                     entries: [ForeignEntry(key: .name("20240101000000_a.js"), label: "a"), ForeignEntry(key: .name("20240102000000_b.ts"), label: "b")],
                                     applied: [recorded])
        #expect(knex.alreadyRecorded == [native[0]] && knex.adopted.map(\.migration) == [native[1]])
    }

    @Test func aFlywayRepeatableIsAdoptedAsItLastRanAndRunsAgainWhenChanged() throws {
        let catalog = try CatalogFixture.load(Self.flyway.merging(["R__views.sql": "SELECT 4;\n", "R__other.sql": "SELECT 5;\n"]) { $1 }).migrations
        let views = try #require(catalog.first { $0.file == "R__views.sql" })
        let rows = [ForeignEntry(key: .version("R__views"), checksum: views.toolStamp, label: "R__views.sql"),
                    ForeignEntry(key: .version("R__other"), checksum: "1", label: "R__other.sql"),
                    ForeignEntry(key: .version("R__gone"), checksum: "2", label: "R__gone.sql")]
        let plan = AdoptionPlan.make(catalog: catalog, tool: .flyway, table: "t", entries: rows, applied: [])
        #expect(!plan.isBlocked)
        #expect(plan.adopted.map(\.migration.file) == ["R__views.sql"])
        #expect(plan.pending.map(\.file) == ["V1__items.sql", "V2__name.sql", "V3__code.sql", "R__other.sql"])
    }
}
