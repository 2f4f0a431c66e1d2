import Foundation
import TenantryTestSupport
import Testing

/// Other tools' folders as those tools run them: what their tool skips is skipped with a warning, a file's own
/// BEGIN … COMMIT is Tenantry's transaction, a file of CREATE INDEX CONCURRENTLY runs without one.
@Suite("imported folders as their tools run them")
struct ImportedFolderTests {
    enum Folder: String, CaseIterable, CustomStringConvertible, Sendable {
        case golangMigrate, drizzle, flyway
        var description: String { rawValue }

        /// The files, and the warning the skipped one gets.
        var files: (files: [String: String], warning: String) {
            switch self {
            case .golangMigrate:
                return ([
                    "000001_items.up.sql": "BEGIN;\nCREATE TABLE items (id int PRIMARY KEY, name text);\nCOMMIT;\n",
                    "000001_items.down.sql": "DROP TABLE items;\n",
                    "000001_items_down.sql": "DROP TABLE items;\n",
                    "000002_items_name.up.sql": "CREATE INDEX CONCURRENTLY items_name_idx ON items (name);\n",
                ], "000001_items_down.sql is not a golang-migrate file name")
            case .drizzle:
                let journal = #"{"version": "7", "dialect": "postgresql", "entries": [{"idx": 0, "version": "7", "when": 1700000000000, "tag": "0000_items", "breakpoints": true}]}"#
                return ([
                    "meta/_journal.json": journal,
                    "0000_items.sql": "CREATE TABLE \"items\" (\"id\" integer PRIMARY KEY, \"name\" text);\n--> statement-breakpoint\nCREATE INDEX \"items_name_idx\" ON \"items\" (\"name\");",
                    "0001_scratch.sql": "DROP TABLE items;",
                ], "0001_scratch.sql is not listed in meta/_journal.json and is skipped")
            case .flyway:
                return ([
                    "V1__items.sql": "CREATE TABLE items (id int PRIMARY KEY, name text);\n",
                    "V2__items_name.sql": "CREATE INDEX CONCURRENTLY items_name_idx ON items (name);\n",
                ], "")
            }
        }
    }

    @Test(TestDatabase.required, arguments: Folder.allCases)
    func appliesAsItIs(_ folder: Folder) throws {
        let project = try TenantProject(layout: "database", prefix: "imp")
        defer { project.cleanUp() }
        for track in ["master", "tenant"] {
            try FileManager.default.removeItem(atPath: project.path + "/migrations/\(track)/" + (track == "master" ? "001_admins.sql" : "001_wells.sql"))
            for (path, contents) in folder.files.files { try project.directory.write("migrations/\(track)/\(path)", contents) }
        }
        let up = try project.run(["up"])
        #expect(up.status == 0, CLI.describe(up))
        if !folder.files.warning.isEmpty { #expect(up.stderr.contains(folder.files.warning), CLI.describe(up)) }
        let created = try project.run(["tenant", "create", "acme"])
        #expect(created.status == 0, CLI.describe(created))
        let index = "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'items_name_idx' AND i.indisvalid"
        #expect(try project.psql(index) == "1", "master track")
        #expect(try project.tenantQuery("acme", index) == "1", "tenant")
        #expect(try project.tenantQuery("acme", "SELECT count(*) FROM tenantry_migrations") == (folder == .drizzle ? "1" : "2"))
        let again = try project.run(["migrate"])
        #expect(again.status == 0 && again.stdout.contains("up to date"), CLI.describe(again))
    }

    /// A file with its own BEGIN … COMMIT between other statements runs as its tool runs it: the group as one unit,
    /// progress recorded at its COMMIT; a failing group leaves the statements before it, and `--resume` goes on.
    @Test(TestDatabase.required)
    func transactionGroupsInAFileRunAsUnitsAndResume() throws {
        let project = try TenantProject(layout: "database", prefix: "imp")
        defer { project.cleanUp() }
        try FileManager.default.removeItem(atPath: project.path + "/migrations/master/001_admins.sql")
        let file = "migrations/master/000001_items.up.sql"
        func write(_ second: Int) throws {
            try project.directory.write(file, """
                CREATE TABLE items (id int PRIMARY KEY);
                BEGIN;
                INSERT INTO items VALUES (1);
                INSERT INTO items VALUES (\(second));
                COMMIT;
                CREATE INDEX CONCURRENTLY items_id_idx ON items (id);
                """)
        }
        try write(1)  // a duplicate key: the group fails, and nothing of it stays
        let failed = try project.run(["up"])
        #expect(failed.status != 0 && failed.stderr.contains("duplicate key"), CLI.describe(failed))
        #expect(try project.psql("SELECT count(*) FROM items") == "0")
        #expect(try project.psql("SELECT statements_applied || '/' || statements_total FROM tenantry_migrations") == "1/6")
        // Only statements after the applied ones may change.
        try write(2)
        let resumed = try project.run(["migrate", "--resume"])
        #expect(resumed.status == 0, CLI.describe(resumed))
        #expect(try project.psql("SELECT string_agg(id::text, ',' ORDER BY id) FROM items") == "1,2")
        #expect(try project.psql("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'items_id_idx' AND i.indisvalid") == "1")
        let again = try project.run(["migrate"])
        #expect(again.status == 0 && again.stdout.contains("up to date"), CLI.describe(again))
    }
}

extension ImportedFolderTests {
    /// Flyway repeatables run after the versioned files, again on every target whenever their file changes, and
    /// not otherwise; a versioned file added later is not "out of order".
    @Test(TestDatabase.required)
    func flywayRepeatablesRunAfterTheVersionedOnesAndAgainWhenEdited() throws {
        let project = try TenantProject(layout: "schema", prefix: "imp_rep")
        defer { project.cleanUp() }
        func view(_ run: Int) -> String {
            "CREATE OR REPLACE VIEW item_ids AS SELECT id\(run > 1 ? ", id * \(run) AS scaled" : "") FROM items;\nINSERT INTO runs VALUES ('view-\(run)');\n"
        }
        for track in ["master", "tenant"] {
            try FileManager.default.removeItem(atPath: project.path + "/migrations/\(track)/" + (track == "master" ? "001_admins.sql" : "001_wells.sql"))
            try project.directory.write("migrations/\(track)/V1__items.sql", "CREATE TABLE items (id int PRIMARY KEY);\nCREATE TABLE runs (what text);\n")
            try project.directory.write("migrations/\(track)/V2__items_idx.sql", "CREATE INDEX CONCURRENTLY items_id_idx ON items (id);\n")
            try project.directory.write("migrations/\(track)/R__item_ids.sql", view(1))
        }
        let ids = ["acme", "bolt", "cask"]
        for step in [["up"]] + ids.map({ ["tenant", "create", $0] }) {
            let result = try project.run(step)
            try #require(result.status == 0, CLI.describe(result))
        }
        func runs() throws -> [String] {
            try [project.psql("SELECT string_agg(what, ',' ORDER BY what) FROM runs")] + ids.map { try project.tenantQuery($0, "SELECT string_agg(what, ',' ORDER BY what) FROM runs") }
        }
        #expect(try runs() == Array(repeating: "view-1", count: 4))
        let again = try project.run(["migrate"])
        #expect(again.status == 0 && again.stdout.contains("up to date"), CLI.describe(again))
        #expect(try runs() == Array(repeating: "view-1", count: 4), "an unchanged repeatable does not run again")

        for track in ["master", "tenant"] { try project.directory.write("migrations/\(track)/R__item_ids.sql", view(2)) }
        let check = try project.run(["status", "tenants", "--check"])
        #expect(check.status == 1, "an edited repeatable is pending: \(CLI.describe(check))")
        let edited = try project.run(["migrate"])
        #expect(edited.status == 0, CLI.describe(edited))
        #expect(try runs() == Array(repeating: "view-1,view-2", count: 4))
        #expect(try project.tenantQuery("bolt", "SELECT count(*) FROM tenantry_migrations WHERE version = 'R__item_ids'") == "1")
        #expect(try project.tenantQuery("bolt", "SELECT scaled FROM item_ids") == "")

        for track in ["master", "tenant"] { try project.directory.write("migrations/\(track)/V3__items_name.sql", "ALTER TABLE items ADD COLUMN name text;\n") }
        let third = try project.run(["migrate"])
        #expect(third.status == 0, CLI.describe(third))
        #expect(try runs() == Array(repeating: "view-1,view-2", count: 4), "a new versioned file does not rerun the repeatable")
        #expect(try project.tenantHasColumn("cask", table: "items", column: "name"))
        let checked = try project.run(["status", "tenants", "--check"])
        #expect(checked.status == 0, CLI.describe(checked))
    }
}

extension ImportedFolderTests {
    /// A down file's own BEGIN … COMMIT groups run as units too (with the BEGIN's modes and savepoints inside):
    /// a failing group leaves nothing of itself, the rollback shows partial, and `rollback --resume` finishes it.
    @Test(TestDatabase.required)
    func transactionGroupsInADownFileRunAsUnitsAndResume() throws {
        let project = try TenantProject(layout: "database", prefix: "imp_down")
        defer { project.cleanUp() }
        try FileManager.default.removeItem(atPath: project.path + "/migrations/master/001_admins.sql")
        try project.directory.write("migrations/master/000001_items.up.sql", """
            CREATE TABLE items (id int PRIMARY KEY);
            BEGIN;
            INSERT INTO items VALUES (1), (2);
            COMMIT;
            CREATE INDEX CONCURRENTLY items_id_idx ON items (id);
            """)
        func writeDown(_ middle: String) throws {
            try project.directory.write("migrations/master/000001_items.down.sql", """
                DROP INDEX CONCURRENTLY items_id_idx;
                BEGIN ISOLATION LEVEL REPEATABLE READ;
                SAVEPOINT before_delete;
                DELETE FROM items;
                RELEASE SAVEPOINT before_delete;
                \(middle);
                COMMIT;
                DROP TABLE items;
                """)
        }
        try writeDown("INSERT INTO missing_table VALUES (1)")
        let up = try project.run(["up"])
        try #require(up.status == 0, CLI.describe(up))
        let failed = try project.run(["rollback", "master", "--yes"])
        #expect(failed.status != 0 && failed.stderr.contains("missing_table"), CLI.describe(failed))
        #expect(failed.stderr.contains("statements 1-1 of 8 of the down section of 000001_items.down.sql were reverted and recorded"), CLI.describe(failed))
        #expect(try project.psql("SELECT count(*) FROM items") == "2", "the failing group left nothing of itself")
        #expect(try project.psql("SELECT to_regclass('items_id_idx') IS NULL") == "t", "the statement before it stays done")
        let status = try project.run(["status", "master"])
        #expect(status.stdout.contains("partial"), CLI.describe(status))
        try writeDown("SELECT 1")
        let resumed = try project.run(["rollback", "master", "--resume", "--yes"])
        #expect(resumed.status == 0, CLI.describe(resumed))
        #expect(try project.psql("SELECT to_regclass('items') IS NULL") == "t")
        #expect(try project.psql("SELECT count(*) FROM tenantry_migrations") == "0")
    }
}
