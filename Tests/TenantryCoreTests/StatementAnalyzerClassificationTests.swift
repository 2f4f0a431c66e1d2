import PgQuery
import Testing
import TenantryCore

@Suite("StatementAnalyzer: statements PostgreSQL refuses inside a transaction block")
struct StatementAnalyzerClassificationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let sql: String
        let kind: String
        let refusal: String?
        var testDescription: String { sql }

        init(_ sql: String, _ kind: String, _ refusal: String? = nil) {
            self.sql = sql
            self.kind = kind
            self.refusal = refusal
        }
    }

    /// Every refusal was confirmed on PostgreSQL 15 (`BEGIN; <statement>` → "cannot run inside a transaction
    /// block"), and every non-refusal runs there inside BEGIN (given the objects exist).
    static let refused: [Case] = [
        Case("CREATE INDEX CONCURRENTLY i ON t (v)", "IndexStmt", "CREATE INDEX CONCURRENTLY"),
        Case("create unique index concurrently if not exists i on t using btree (lower(v))", "IndexStmt", "CREATE INDEX CONCURRENTLY"),
        Case("DROP INDEX CONCURRENTLY i", "DropStmt", "DROP INDEX CONCURRENTLY"),
        Case("DROP INDEX CONCURRENTLY IF EXISTS i CASCADE", "DropStmt", "DROP INDEX CONCURRENTLY"),
        Case("REINDEX INDEX CONCURRENTLY i", "ReindexStmt", "REINDEX CONCURRENTLY"),
        Case("REINDEX TABLE CONCURRENTLY t", "ReindexStmt", "REINDEX CONCURRENTLY"),
        Case("REINDEX (CONCURRENTLY) TABLE t", "ReindexStmt", "REINDEX CONCURRENTLY"),
        Case("REINDEX (VERBOSE, CONCURRENTLY on) INDEX i", "ReindexStmt", "REINDEX CONCURRENTLY"),
        Case("REINDEX (CONCURRENTLY 1) TABLE t", "ReindexStmt", "REINDEX CONCURRENTLY"),
        Case("REINDEX SCHEMA public", "ReindexStmt", "REINDEX SCHEMA"),
        Case("REINDEX SYSTEM app", "ReindexStmt", "REINDEX SYSTEM"),
        Case("REINDEX DATABASE app", "ReindexStmt", "REINDEX DATABASE"),
        Case("ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY", "AlterTableStmt", "ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY"),
        Case("VACUUM", "VacuumStmt", "VACUUM"),
        Case("VACUUM t", "VacuumStmt", "VACUUM"),
        Case("VACUUM (ANALYZE, VERBOSE) t", "VacuumStmt", "VACUUM"),
        Case("VACUUM FULL ANALYZE t", "VacuumStmt", "VACUUM"),
        Case("CLUSTER", "ClusterStmt", "CLUSTER (without a table name)"),
        Case("CLUSTER VERBOSE", "ClusterStmt", "CLUSTER (without a table name)"),
        Case("CREATE DATABASE app", "CreatedbStmt", "CREATE DATABASE"),
        Case("CREATE DATABASE app WITH TEMPLATE template0 ENCODING 'UTF8'", "CreatedbStmt", "CREATE DATABASE"),
        Case("DROP DATABASE IF EXISTS app", "DropdbStmt", "DROP DATABASE"),
        Case("DROP DATABASE app WITH (FORCE)", "DropdbStmt", "DROP DATABASE"),
        Case("ALTER DATABASE app SET TABLESPACE fast", "AlterDatabaseStmt", "ALTER DATABASE ... SET TABLESPACE"),
        Case("ALTER SYSTEM SET work_mem = '64MB'", "AlterSystemStmt", "ALTER SYSTEM"),
        Case("ALTER SYSTEM RESET ALL", "AlterSystemStmt", "ALTER SYSTEM"),
        Case("CREATE TABLESPACE fast LOCATION '/mnt/fast'", "CreateTableSpaceStmt", "CREATE TABLESPACE"),
        Case("DROP TABLESPACE IF EXISTS fast", "DropTableSpaceStmt", "DROP TABLESPACE"),
        Case("DISCARD ALL", "DiscardStmt", "DISCARD ALL"),
        Case("CREATE SUBSCRIPTION s CONNECTION 'host=h dbname=d' PUBLICATION p", "CreateSubscriptionStmt", "CREATE SUBSCRIPTION (creating a replication slot)"),
        Case("CREATE SUBSCRIPTION s CONNECTION 'c' PUBLICATION p WITH (create_slot)", "CreateSubscriptionStmt", "CREATE SUBSCRIPTION (creating a replication slot)"),
        Case("CREATE SUBSCRIPTION s CONNECTION 'c' PUBLICATION p WITH (copy_data = false)", "CreateSubscriptionStmt", "CREATE SUBSCRIPTION (creating a replication slot)"),
        Case("DROP SUBSCRIPTION s", "DropSubscriptionStmt", "DROP SUBSCRIPTION"),
        Case("DROP SUBSCRIPTION IF EXISTS s CASCADE", "DropSubscriptionStmt", "DROP SUBSCRIPTION"),
        Case("ALTER SUBSCRIPTION s REFRESH PUBLICATION", "AlterSubscriptionStmt", "ALTER SUBSCRIPTION ... REFRESH PUBLICATION"),
        Case("ALTER SUBSCRIPTION s REFRESH PUBLICATION WITH (copy_data = false)", "AlterSubscriptionStmt", "ALTER SUBSCRIPTION ... REFRESH PUBLICATION"),
        Case("ALTER SUBSCRIPTION s SET PUBLICATION q", "AlterSubscriptionStmt", "ALTER SUBSCRIPTION ... PUBLICATION (with refresh)"),
        Case("ALTER SUBSCRIPTION s ADD PUBLICATION q WITH (refresh = true)", "AlterSubscriptionStmt", "ALTER SUBSCRIPTION ... PUBLICATION (with refresh)"),
        Case("ALTER SUBSCRIPTION s DROP PUBLICATION q", "AlterSubscriptionStmt", "ALTER SUBSCRIPTION ... PUBLICATION (with refresh)"),
        Case("COMMIT PREPARED 'tx1'", "TransactionStmt", "COMMIT PREPARED"),
        Case("ROLLBACK PREPARED 'tx1'", "TransactionStmt", "ROLLBACK PREPARED"),
    ]

    static let allowed: [Case] = [
        Case("CREATE INDEX i ON t (v)", "IndexStmt"),
        Case("CREATE UNIQUE INDEX IF NOT EXISTS i ON t (v) WHERE v > 0", "IndexStmt"),
        Case("DROP INDEX i", "DropStmt"),
        Case("DROP TABLE t", "DropStmt"),
        Case("REINDEX INDEX i", "ReindexStmt"),
        Case("REINDEX TABLE t", "ReindexStmt"),
        Case("REINDEX (CONCURRENTLY false) TABLE t", "ReindexStmt"),
        Case("REINDEX (CONCURRENTLY 0) TABLE t", "ReindexStmt"),
        Case("REINDEX (VERBOSE) INDEX i", "ReindexStmt"),
        Case("ALTER TABLE p DETACH PARTITION p1", "AlterTableStmt"),
        Case("ALTER TABLE p DETACH PARTITION p1 FINALIZE", "AlterTableStmt"),
        Case("ALTER TABLE p ATTACH PARTITION p1 FOR VALUES FROM (0) TO (10)", "AlterTableStmt"),
        Case("ALTER TABLE t ADD COLUMN c int, ALTER COLUMN v SET NOT NULL", "AlterTableStmt"),
        Case("ANALYZE", "VacuumStmt"),
        Case("ANALYZE VERBOSE t (v)", "VacuumStmt"),
        Case("CLUSTER t", "ClusterStmt"),
        Case("CLUSTER t USING t_pkey", "ClusterStmt"),
        Case("ALTER DATABASE app SET work_mem = '4MB'", "AlterDatabaseSetStmt"),
        Case("ALTER DATABASE app WITH CONNECTION LIMIT 5", "AlterDatabaseStmt"),
        Case("ALTER DATABASE app RENAME TO app2", "RenameStmt"),
        Case("DISCARD PLANS", "DiscardStmt"),
        Case("DISCARD TEMP", "DiscardStmt"),
        Case("CREATE SUBSCRIPTION s CONNECTION 'c' PUBLICATION p WITH (create_slot = false)", "CreateSubscriptionStmt"),
        Case("CREATE SUBSCRIPTION s CONNECTION 'c' PUBLICATION p WITH (connect = false)", "CreateSubscriptionStmt"),
        Case("CREATE SUBSCRIPTION s CONNECTION 'c' PUBLICATION p WITH (connect = off, slot_name = NONE)", "CreateSubscriptionStmt"),
        Case("ALTER SUBSCRIPTION s SET PUBLICATION q WITH (refresh = false)", "AlterSubscriptionStmt"),
        Case("ALTER SUBSCRIPTION s ADD PUBLICATION q WITH (refresh = off)", "AlterSubscriptionStmt"),
        Case("ALTER SUBSCRIPTION s DISABLE", "AlterSubscriptionStmt"),
        Case("ALTER TYPE mood ADD VALUE 'meh'", "AlterEnumStmt"),
        Case("REFRESH MATERIALIZED VIEW CONCURRENTLY mv", "RefreshMatViewStmt"),
        Case("CREATE MATERIALIZED VIEW mv AS SELECT 1", "CreateTableAsStmt"),
        Case("CHECKPOINT", "CheckPointStmt"),
        Case("LOCK TABLE t IN ACCESS EXCLUSIVE MODE", "LockStmt"),
        Case("CREATE TABLE t (id int)", "CreateStmt"),
        Case("SELECT 'CREATE INDEX CONCURRENTLY'", "SelectStmt"),
        Case("COMMENT ON TABLE t IS 'VACUUM'", "CommentStmt"),
        Case("DO $$ BEGIN EXECUTE 'VACUUM'; END $$", "DoStmt"),
        Case("CREATE SCHEMA s CREATE TABLE t (id int) CREATE INDEX i ON t (id)", "CreateSchemaStmt"),
    ]

    @Test("flags what PostgreSQL refuses in a transaction block", arguments: refused)
    func refusedStatements(_ testCase: Case) throws {
        let statement = try #require(try StatementAnalyzer.statements(of: Self.script(testCase.sql)).first)
        #expect(statement.kind == testCase.kind)
        #expect(statement.refusesTransaction == testCase.refusal)
    }

    @Test("leaves alone what may run in a transaction", arguments: allowed)
    func allowedStatements(_ testCase: Case) throws {
        let statement = try #require(try StatementAnalyzer.statements(of: Self.script(testCase.sql)).first)
        #expect(statement.kind == testCase.kind)
        #expect(statement.refusesTransaction == nil)
    }

    @Test("libpg_query's trees have the fields the classifier reads")
    func fieldNames() throws {
        // A renamed field would make every refusal pass silently as allowed, so read the raw trees once.
        func node(_ sql: String) throws -> JSONValue {
            let tree = try PgQuery.parse(sql)
            let name = try #require(tree.statementKinds.first)
            return try #require(tree.statements.first?[name])
        }
        #expect(try node("CREATE INDEX CONCURRENTLY i ON t (v)")["concurrent"] == true)
        #expect(try node("CREATE INDEX i ON t (v)")["concurrent"] == nil)
        #expect(try node("DROP INDEX CONCURRENTLY i")["concurrent"] == true)
        let reindex = try node("REINDEX (CONCURRENTLY false) TABLE t")
        #expect(reindex["kind"] == "REINDEX_OBJECT_TABLE")
        #expect(reindex["params"]?[0]?["DefElem"]?["defname"] == "concurrently")
        #expect(reindex["params"]?[0]?["DefElem"]?["arg"] == ["String": ["sval": "false"]])
        #expect(try node("REINDEX SCHEMA s")["kind"] == "REINDEX_OBJECT_SCHEMA")
        let detach = try node("ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY")["cmds"]?[0]?["AlterTableCmd"]
        #expect(detach?["subtype"] == "AT_DetachPartition")
        #expect(detach?["def"]?["PartitionCmd"]?["concurrent"] == true)
        #expect(try node("VACUUM t")["is_vacuumcmd"] == true)
        #expect(try node("ANALYZE t")["is_vacuumcmd"] == nil)
        #expect(try node("CLUSTER")["relation"] == nil)
        #expect(try node("CLUSTER t")["relation"] != nil)
        #expect(try node("ALTER DATABASE d SET TABLESPACE x")["options"]?[0]?["DefElem"]?["defname"] == "tablespace")
        #expect(try node("DISCARD ALL")["target"] == "DISCARD_ALL")
        let subscription = try node("CREATE SUBSCRIPTION s CONNECTION 'c' PUBLICATION p WITH (connect = off, create_slot)")
        #expect(subscription["options"]?[0]?["DefElem"]?["arg"]?["TypeName"]?["names"] == [["String": ["sval": "off"]]])
        #expect(subscription["options"]?[1]?["DefElem"]?["defname"] == "create_slot")
        #expect(subscription["options"]?[1]?["DefElem"]?["arg"] == nil)
        #expect(try node("ALTER SUBSCRIPTION s REFRESH PUBLICATION")["kind"] == "ALTER_SUBSCRIPTION_REFRESH")
        #expect(try node("REINDEX (CONCURRENTLY 0) TABLE t")["params"]?[0]?["DefElem"]?["arg"] == ["Integer": [:]])
        #expect(try node("COMMIT PREPARED 'x'")["kind"] == "TRANS_STMT_COMMIT_PREPARED")
        let copy = try node("COPY t FROM STDIN")
        #expect(copy["is_from"] == true)
        #expect(copy["filename"] == nil)
        #expect(try node("COPY t FROM PROGRAM 'cat'")["is_program"] == true)
    }

    static func script(_ sql: String) -> MigrationScript {
        MigrationScript(sql: sql, file: "t.sql", firstLine: 1)
    }
}
