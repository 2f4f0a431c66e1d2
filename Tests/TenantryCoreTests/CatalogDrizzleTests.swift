import Testing

@testable import TenantryCore

@Suite("Catalog: Drizzle format")
struct CatalogDrizzleTests {
    static func journal(_ tags: [String]) -> String {
        let entries = tags.enumerated().map { index, tag in
            #"{"idx": \#(index), "version": "7", "when": 170000000000\#(index), "tag": "\#(tag)", "breakpoints": true}"#
        }
        return #"{"version": "7", "dialect": "postgresql", "entries": [\#(entries.joined(separator: ", "))]}"#
    }

    static let users = """
        CREATE TABLE "users" (
        \t"id" serial PRIMARY KEY NOT NULL
        );
        --> statement-breakpoint
        CREATE INDEX "users_idx" ON "users" ("id");--> statement-breakpoint
        ALTER TABLE "users" ADD COLUMN "name" text;
        --> statement-breakpoint

        """

    @Test func readsTheJournalAndSplitsAtBreakpoints() throws {
        let catalog = try CatalogFixture.load([
            "meta/_journal.json": Self.journal(["0000_brave_hulk", "0001_calm_storm"]),
            "meta/0000_snapshot.json": "{}",
            "0000_brave_hulk.sql": Self.users,
            "0001_calm_storm.sql": "-- tenantry:no-transaction\nCREATE INDEX CONCURRENTLY \"i\" ON \"users\" (\"name\");",
        ])
        #expect(catalog.format == .drizzle)
        #expect(catalog.migrations.map(\.version.text) == ["0000", "0001"])
        #expect(catalog.migrations.map(\.name) == ["brave_hulk", "calm_storm"])
        let users = catalog.migrations[0]
        #expect(users.file == "0000_brave_hulk.sql")
        #expect(users.up.sql == Self.users)
        #expect(users.up.firstLine == 1)
        #expect(users.up.explicitStatements == [
            "CREATE TABLE \"users\" (\n\t\"id\" serial PRIMARY KEY NOT NULL\n);",
            "CREATE INDEX \"users_idx\" ON \"users\" (\"id\");",
            "ALTER TABLE \"users\" ADD COLUMN \"name\" text;",
        ])
        #expect(users.down == nil)
        // No breakpoint: the statement parser splits the file.
        #expect(catalog.migrations[1].up.explicitStatements == nil)
        #expect(catalog.migrations[1].up.directives.transactional == false)
    }

    @Test func emptyJournalHasNoMigrations() throws {
        #expect(try CatalogFixture.load(["meta/_journal.json": Self.journal([])]).migrations.isEmpty)
    }

    @Test func journalOutOfVersionOrderIsAnError() throws {
        let error = try CatalogFixture.error([
            "meta/_journal.json": Self.journal(["0009_a", "0010_b", "0002_c"]),
            "0009_a.sql": "", "0010_b.sql": "", "0002_c.sql": "",
        ])
        #expect(error.message == "meta/_journal.json lists 0002_c after 0010_b, out of version order")
    }

    @Test func entriesSharingANumberRunInJournalOrder() throws {
        let catalog = try CatalogFixture.load([
            "meta/_journal.json": Self.journal(["0000_a", "0001_b", "0001_c", "0002_d"]),
            "0000_a.sql": "SELECT 0;", "0001_b.sql": "SELECT 1;", "0001_c.sql": "SELECT 11;", "0002_d.sql": "SELECT 2;",
        ])
        #expect(catalog.migrations.map(\.version.text) == ["0000", "0001", "0001.1", "0002"])
        #expect(catalog.migrations.map(\.file) == ["0000_a.sql", "0001_b.sql", "0001_c.sql", "0002_d.sql"])
    }

    @Test func journalEntryWithoutItsFile() throws {
        let error = try CatalogFixture.error(["meta/_journal.json": Self.journal(["0000_a", "0001_b"]), "0000_a.sql": ""])
        #expect(error.message == "meta/_journal.json lists 0001_b, but 0001_b.sql is missing")
    }

    /// drizzle-kit's migrator runs only what the journal lists; a stray file is skipped with a warning.
    @Test func fileMissingFromTheJournalIsSkipped() throws {
        let catalog = try CatalogFixture.load(["meta/_journal.json": Self.journal(["0000_a"]), "0000_a.sql": "SELECT 1;", "0001_extra.sql": ""])
        #expect(catalog.migrations.map(\.file) == ["0000_a.sql"])
        #expect(catalog.warnings == ["0001_extra.sql is not listed in meta/_journal.json and is skipped, as drizzle-kit does "
            + "(add it with drizzle-kit generate --custom to run it)"])
    }

    @Test(arguments: ["not json", #"{"entries": [{"idx": 0}]}"#, "[]"])
    func malformedJournal(text: String) throws {
        let error = try CatalogFixture.error(["meta/_journal.json": text])
        #expect(error.message.hasPrefix("meta/_journal.json is not a Drizzle journal"))
    }

    @Test func tagWithoutNumberAndRepeatedTag() throws {
        let unnumbered = try CatalogFixture.error(["meta/_journal.json": Self.journal(["init"]), "init.sql": ""])
        #expect(unnumbered.message == "meta/_journal.json: entry 'init' does not start with a version number like 0000_")
        let repeated = try CatalogFixture.error(["meta/_journal.json": Self.journal(["0000_a", "0000_a"]), "0000_a.sql": ""])
        #expect(repeated.message == "meta/_journal.json lists 0000_a twice")
    }

    @Test func drizzleForcedWithoutJournal() throws {
        let error = try CatalogFixture.error(["0000_a.sql": ""], format: .drizzle)
        #expect(error.message.hasPrefix("cannot read meta/_journal.json: it does not exist in "))
    }
}
