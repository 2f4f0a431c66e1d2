import Foundation
import TenantryTestSupport
import Testing

/// Two `tenantry migrate` processes on one target at the same moment: the advisory lock lets one apply and the
/// other wait, so every migration is applied exactly once and neither reports an error.
@Suite("migrate: two runners at once")
struct MigrateConcurrencyTests {
    static let rounds = 20

    static let files: [(String, String)] = [
        ("001_create_accounts.sql", nativeMigration(up: "CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL);")),
        ("002_create_events.sql", nativeMigration(up: """
            CREATE TABLE events (id bigserial PRIMARY KEY, account_id bigint REFERENCES accounts);
            SELECT pg_sleep(0.2);
            INSERT INTO accounts VALUES (1, 'first');
            """)),
        ("003_create_audit.sql", nativeMigration(up: """
            CREATE TABLE audit (id bigserial PRIMARY KEY, note text);
            INSERT INTO audit (note) VALUES ('seeded');
            """)),
        // Built while the other runner polls for the lock: a waiter must never hold up CREATE INDEX CONCURRENTLY.
        ("004_index_audit.sql", nativeMigration(up: "CREATE INDEX CONCURRENTLY audit_note_idx ON audit (note);",
                                                directives: ["no-transaction"])),
    ]

    @Test(TestDatabase.required)
    func twoRunnersStartedTogetherApplyEachMigrationOnce() throws {
        var roundsThatWaited = 0
        for round in 1...Self.rounds {
            let project = try MigrationProject("cli_mig_race")
            defer { project.cleanUp() }
            for (name, text) in Self.files { try project.write(name, text) }

            let arguments = ["migrate", "--url", project.url]
            let results = try BackgroundRun.concurrently([arguments, arguments], in: project.path)

            for result in results {
                #expect(result.status == 0, "round \(round): \(CLI.describe(result))")
                #expect(result.problemLines.isEmpty, "round \(round): \(CLI.describe(result))")
            }
            // Between them, each file was applied once: one run lists it as applied, the other does not.
            for (name, _) in Self.files {
                let mentions = results.map { $0.stdout.components(separatedBy: "applied \(name)").count - 1 }.reduce(0, +)
                #expect(mentions == 1, "round \(round): \(name) reported applied \(mentions) times\n\(results.map(CLI.describe))")
            }
            if results.contains(where: { $0.stderr.lowercased().contains("lock") }) { roundsThatWaited += 1 }

            let state = try project.psql("""
                SELECT (SELECT string_agg(version || ':' || kind || ':' || coalesce(statements_total::text, '-'), ',' ORDER BY version)
                          FROM tenantry_migrations)
                    || ' ' || (SELECT count(*) FROM tenantry_migrations)
                    || ' ' || (SELECT count(*) FROM accounts)
                    || ' ' || (SELECT count(*) FROM audit)
                    || ' ' || (SELECT count(*) FROM pg_tables WHERE schemaname = 'public')
                    || ' ' || (SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                               WHERE c.relname = 'audit_note_idx' AND i.indisvalid)
                """)
            // 4 history rows, one account, one audit row, 3 tables plus the history table, one valid index.
            #expect(state == "001:applied:-,002:applied:-,003:applied:-,004:applied:1 4 1 1 4 1",
                    "round \(round): \(state)\n\(results.map(CLI.describe))")
        }
        // The sleep makes the runs overlap: the second one has to wait for the lock and says so.
        #expect(roundsThatWaited > 0, "no round showed a wait for the migration lock: the runs never overlapped")
    }
}
