import Foundation
import Testing
import TenantryCore
import TenantryTestSupport

/// Each import format, read by the catalog, yields exactly the statements psql sends when it runs the same SQL.
@Suite("Import formats round-trip through psql")
struct ImportFormatPsqlTests {
    typealias Psql = SplitterCorpusPsqlTests

    /// A folder per format, with statements that are easy to split wrongly (dollar quotes, semicolons in strings).
    static let folders: [(format: MigrationFormat, files: [String: String])] = [
        (.native, [
            "001_wells.sql": "-- migrate:up\nCREATE TABLE wells (id int, note text DEFAULT 'a;b');\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;\n-- migrate:down\nDROP TABLE wells;\n",
        ]),
        (.golangMigrate, [
            "1_wells.up.sql": "CREATE TABLE wells (id int);\nINSERT INTO wells VALUES (1); -- trailing; comment\n",
            "1_wells.down.sql": "DROP TABLE wells;\n",
            "2_users.up.sql": "CREATE TABLE users (name text DEFAULT E'it\\'s;');\n",
        ]),
        (.flyway, [
            "V1__wells.sql": "CREATE TABLE wells (id int);\n/* nested /* ; */ comment */\nCREATE INDEX wells_id ON wells (id);\n",
            "V1_1__users.sql": "CREATE TABLE \"users;x\" (id int);\n",
            "U1_1__users.sql": "DROP TABLE \"users;x\";\n",
        ]),
        (.drizzle, [
            "meta/_journal.json": #"{"version":"7","dialect":"postgresql","entries":[{"idx":0,"version":"7","when":1700000000000,"tag":"0000_first","breakpoints":true}]}"#,
            "0000_first.sql": "CREATE TABLE \"wells\" (\"id\" serial PRIMARY KEY);\n--> statement-breakpoint\nCREATE TABLE \"users\" (\"name\" text DEFAULT ';');\n",
        ]),
    ]

    @Test(TestDatabase.required, arguments: folders.map(\.format))
    func statementsMatchPsql(_ format: MigrationFormat) throws {
        let psql = try #require(ExternalProgram.locate("psql"), "psql is not on PATH")
        let server = try TestDatabase.requireURL()
        let folder = try TemporaryDirectory("tenantry-import")
        defer { folder.remove() }
        for (name, text) in try #require(Self.folders.first { $0.format == format }).files { try folder.write(name, text) }
        let catalog = try MigrationCatalog.load(directory: folder.path)
        #expect(catalog.format == format)
        #expect(!catalog.migrations.isEmpty)

        let database = TestDatabase.uniqueName("import_psql")
        defer { _ = try? Psql.run(psql, ["-c", "DROP DATABASE IF EXISTS \(database) WITH (FORCE)", "-d", server]) }
        let created = try Psql.run(psql, ["-c", "CREATE DATABASE \(database) TEMPLATE template0", "-d", server])
        try #require(created.status == 0, "\(created.stderr)")

        for migration in catalog.migrations {
            // What psql runs: the up script's text as a file.
            let script = "\(folder.path)/psql-\(migration.version).sql"
            try migration.up.sql.write(toFile: script, atomically: true, encoding: .utf8)
            let log = "\(folder.path)/psql-\(migration.version).log"
            let ran = try Psql.run(psql, ["-o", "/dev/null", "-L", log, "-f", script, "-d", try Psql.url(server, database: database)])
            try #require(ran.status == 0, "psql failed on \(migration.file): \(ran.stderr)")
            let sent = Psql.loggedQueries(try Data(contentsOf: URL(fileURLWithPath: log)))
            let statements = try StatementAnalyzer.statements(of: migration.up)
            #expect(sent.map(Psql.normalized).filter { !$0.isEmpty } == statements.map(\.sql), "\(format): \(migration.file)")
        }
    }
}
