import Foundation

/// A tenant folder written for another tool, and the psql script that tool's users run today: each tenant's schema
/// migrated with the files' SQL, and the tool's history table filled the way the tool fills it. Our own SQL.
enum ForeignFleet: String, CaseIterable, CustomStringConvertible, Sendable {
    case drizzle, prisma, golangMigrate = "golang-migrate", dbmate, flyway, knex
    var description: String { rawValue }

    /// One migration: the path in the folder, the file, and the SQL the tool ran.
    struct File {
        var path: String
        var contents: String
        var sql: String
    }

    static let first = "CREATE TABLE items (id int PRIMARY KEY);\nCREATE TABLE ledger (step text NOT NULL);\nINSERT INTO ledger VALUES ('1');"
    static let second = "ALTER TABLE items ADD COLUMN name text;\nINSERT INTO ledger VALUES ('2');"

    var files: [File] {
        switch self {
        case .drizzle:
            let journal = #"{"version": "7", "dialect": "postgresql", "entries": ["#
                + #"{"idx": 0, "version": "7", "when": 1700000000000, "tag": "0000_items", "breakpoints": true}, "#
                + #"{"idx": 1, "version": "7", "when": 1700000001000, "tag": "0001_name", "breakpoints": true}]}"#
            let first = Self.first.replacingOccurrences(of: ";\n", with: ";\n--> statement-breakpoint\n")
            return [File(path: "meta/_journal.json", contents: journal, sql: ""),
                    File(path: "0000_items.sql", contents: first, sql: first),
                    File(path: "0001_name.sql", contents: Self.second, sql: Self.second)]
        case .prisma:
            return [File(path: "migration_lock.toml", contents: "provider = \"postgresql\"\n", sql: ""),
                    File(path: "20240101000000_items/migration.sql", contents: "BEGIN;\n\(Self.first)\nCOMMIT;\n", sql: Self.first),
                    File(path: "20240102000000_name/migration.sql", contents: Self.second + "\n", sql: Self.second)]
        case .golangMigrate:
            return [File(path: "000001_items.up.sql", contents: Self.first, sql: Self.first),
                    File(path: "000001_items.down.sql", contents: "DROP TABLE ledger, items;", sql: ""),
                    File(path: "000002_name.up.sql", contents: Self.second, sql: Self.second)]
        case .dbmate, .knex:
            return [File(path: "20240101000000_items.sql", contents: "-- migrate:up\n\(Self.first)\n\n-- migrate:down\nDROP TABLE ledger, items;\n", sql: Self.first),
                    File(path: "20240102000000_name.sql", contents: "-- migrate:up\n\(Self.second)\n", sql: Self.second)]
        case .flyway:
            return [File(path: "V1__items.sql", contents: Self.first, sql: Self.first),
                    File(path: "V2__name.sql", contents: Self.second, sql: Self.second)]
        }
    }

    /// The tool's history table, created in the tenant's schema (on the search path).
    var historyTable: String {
        switch self {
        case .drizzle: "CREATE TABLE __drizzle_migrations (id serial PRIMARY KEY, hash text NOT NULL, created_at bigint);"
        case .prisma: """
            CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, finished_at timestamptz,
                migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(),
                applied_steps_count integer NOT NULL DEFAULT 0);
            """
        case .golangMigrate: "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);"
        case .dbmate: "CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY);"
        case .flyway: """
            CREATE TABLE flyway_schema_history (installed_rank integer PRIMARY KEY, version varchar(50), description varchar(200) NOT NULL,
                type varchar(20) NOT NULL, script varchar(1000) NOT NULL, checksum integer, installed_by varchar(100) NOT NULL,
                installed_on timestamp NOT NULL DEFAULT now(), execution_time integer NOT NULL, success boolean NOT NULL);
            """
        case .knex: "CREATE TABLE knex_migrations (id serial PRIMARY KEY, name varchar(255), batch integer, migration_time timestamptz);"
        }
    }

    /// The rows the tool writes after running `files` (the migrations are 1-based in `files` order, data files skipped).
    func historyRows(broken: Bool) -> String {
        let migrations = files.filter { !$0.sql.isEmpty }
        func sha(_ file: File) -> String { "encode(sha256(convert_to($f$\(file.contents)$f$, 'UTF8')), 'hex')" }
        switch self {
        case .drizzle:
            return "INSERT INTO __drizzle_migrations (hash, created_at) VALUES (\(sha(migrations[0])), 1700000000000), (\(sha(migrations[1])), 1700000001000);"
                + (broken ? "\nINSERT INTO __drizzle_migrations (hash, created_at) VALUES (repeat('0', 64), 1690000000000);" : "")
        case .prisma:
            return """
                INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES
                    (gen_random_uuid(), \(sha(migrations[0])), '2024-01-01 10:00:00+00', '20240101000000_items', '2024-01-01 10:00:00+00', 1),
                    (gen_random_uuid(), \(sha(migrations[1])), \(broken ? "NULL" : "'2024-01-02 10:00:00+00'"), '20240102000000_name', '2024-01-02 10:00:00+00', 1);
                """
        case .golangMigrate:
            return "INSERT INTO schema_migrations VALUES (2, \(broken));"
        case .dbmate:
            return "INSERT INTO schema_migrations VALUES ('20240101000000'), ('20240102000000')" + (broken ? ", ('20231231000000');" : ";")
        case .flyway:
            return """
                INSERT INTO flyway_schema_history VALUES
                    (1, '1', 'items', 'SQL', 'V1__items.sql', NULL, 'app', '2024-01-01 10:00:00', 12, true),
                    (2, '2', 'name', 'SQL', 'V2__name.sql', NULL, 'app', '2024-01-02 10:00:00', 7, \(!broken));
                """
        case .knex:
            return "INSERT INTO knex_migrations (name, batch, migration_time) VALUES ('20240101000000_items.js', 1, '2024-01-01 10:00:00+00'), "
                + "('20240102000000_name.js', 1, '2024-01-02 10:00:00+00')" + (broken ? ", ('20231231000000_gone.js', 1, now());" : ";")
        }
    }

    /// What makes a broken tenant adoptable, as the user would fix it.
    var repair: String {
        switch self {
        case .drizzle: "DELETE FROM __drizzle_migrations WHERE created_at = 1690000000000;"
        case .prisma: "UPDATE _prisma_migrations SET finished_at = now() WHERE finished_at IS NULL;"
        case .golangMigrate: "UPDATE schema_migrations SET dirty = false;"
        case .dbmate: "DELETE FROM schema_migrations WHERE version = '20231231000000';"
        case .flyway: "UPDATE flyway_schema_history SET success = true;"
        case .knex: "DELETE FROM knex_migrations WHERE name = '20231231000000_gone.js';"
        }
    }

    /// The psql script that migrated `schemas` the tool's way; the first one's history is `broken`.
    func script(schemas: [String]) -> String {
        var script = "SET client_min_messages = warning;\n"
        for (index, schema) in schemas.enumerated() {
            script += "CREATE SCHEMA \(schema);\nSET search_path = \(schema);\n" + migrated(broken: index == 0)
        }
        return script + "RESET search_path;\n"
    }

    /// One target migrated the tool's way: the files' SQL, then the history (in `historySchema` when given).
    func migrated(broken: Bool, historySchema: String? = nil) -> String {
        var script = files.filter { !$0.sql.isEmpty }.map { $0.sql + "\n" }.joined()
        if let historySchema { script += "CREATE SCHEMA \(historySchema);\nSET search_path = \(historySchema);\n" }
        return script + historyTable + "\n" + historyRows(broken: broken) + "\n"
    }
}
