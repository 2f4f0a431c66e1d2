import PgQuery

/// The statements PostgreSQL 15 refuses inside a transaction block ("… cannot run inside a transaction block",
/// `PreventInTransactionBlock` in its source), recognised in libpg_query's parse tree.
///
/// Each entry was checked against a PostgreSQL 15 server (`BEGIN; <statement>`). What the parse tree cannot
/// show is left to the server: `CLUSTER` of a partitioned table, and `CALL` of a procedure that commits.
enum TransactionRefusal {
    /// How PostgreSQL names the refused statement (its own error wording), or nil when it may run in a
    /// transaction. `node` is one statement, e.g. `{"IndexStmt": {...}}`.
    static func reason(for node: JSONValue) -> String? {
        guard let name = node.nodeName, let fields = node[name] else { return nil }
        switch name {
        case "IndexStmt":
            return fields.flag("concurrent") ? "CREATE INDEX CONCURRENTLY" : nil
        case "DropStmt":
            // Only DROP INDEX accepts CONCURRENTLY.
            return fields.flag("concurrent") ? "DROP INDEX CONCURRENTLY" : nil
        case "ReindexStmt":
            return reindex(fields)
        case "AlterTableStmt":
            return detachesConcurrently(fields) ? "ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY" : nil
        case "VacuumStmt":
            // ANALYZE shares the node; only VACUUM (with or without ANALYZE) is refused.
            return fields.flag("is_vacuumcmd") ? "VACUUM" : nil
        case "ClusterStmt":
            // Without a table it clusters every table, each in a transaction of its own.
            return fields["relation"] == nil ? "CLUSTER (without a table name)" : nil
        case "CreatedbStmt":
            return "CREATE DATABASE"
        case "DropdbStmt":
            return "DROP DATABASE"
        case "AlterDatabaseStmt":
            return fields.option("tablespace") != nil ? "ALTER DATABASE ... SET TABLESPACE" : nil
        case "AlterSystemStmt":
            return "ALTER SYSTEM"
        case "CreateTableSpaceStmt":
            return "CREATE TABLESPACE"
        case "DropTableSpaceStmt":
            return "DROP TABLESPACE"
        case "DiscardStmt":
            return fields["target"]?.stringValue == "DISCARD_ALL" ? "DISCARD ALL" : nil
        case "CreateSubscriptionStmt":
            return createsSlot(fields) ? "CREATE SUBSCRIPTION (creating a replication slot)" : nil
        case "DropSubscriptionStmt":
            // Refused when the subscription has a replication slot, which only the server knows: assume it has.
            return "DROP SUBSCRIPTION"
        case "AlterSubscriptionStmt":
            return alterSubscription(fields)
        case "TransactionStmt":
            return preparedTransaction(fields)
        default:
            return nil
        }
    }

    private static func reindex(_ fields: JSONValue) -> String? {
        switch fields["kind"]?.stringValue {
        case "REINDEX_OBJECT_SCHEMA": "REINDEX SCHEMA"
        case "REINDEX_OBJECT_SYSTEM": "REINDEX SYSTEM"
        case "REINDEX_OBJECT_DATABASE": "REINDEX DATABASE"
        default: fields.option("concurrently", in: "params")?.definedBoolean == true ? "REINDEX CONCURRENTLY" : nil
        }
    }

    private static func detachesConcurrently(_ fields: JSONValue) -> Bool {
        (fields["cmds"]?.arrayValue ?? []).contains { command in
            command["AlterTableCmd"]?["def"]?["PartitionCmd"]?.flag("concurrent") == true
        }
    }

    /// `create_slot` defaults to true, unless `connect = false` turns its default off.
    private static func createsSlot(_ fields: JSONValue) -> Bool {
        if let createSlot = fields.option("create_slot")?.definedBoolean { return createSlot }
        return fields.option("connect")?.definedBoolean ?? true
    }

    private static func alterSubscription(_ fields: JSONValue) -> String? {
        switch fields["kind"]?.stringValue {
        case "ALTER_SUBSCRIPTION_REFRESH":
            return "ALTER SUBSCRIPTION ... REFRESH PUBLICATION"
        case "ALTER_SUBSCRIPTION_SET_PUBLICATION", "ALTER_SUBSCRIPTION_ADD_PUBLICATION",
             "ALTER_SUBSCRIPTION_DROP_PUBLICATION":
            // These refresh unless told `refresh = false`.
            let refresh = fields.option("refresh")?.definedBoolean ?? true
            return refresh ? "ALTER SUBSCRIPTION ... PUBLICATION (with refresh)" : nil
        default:
            return nil
        }
    }

    private static func preparedTransaction(_ fields: JSONValue) -> String? {
        switch fields["kind"]?.stringValue {
        case "TRANS_STMT_COMMIT_PREPARED": "COMMIT PREPARED"
        case "TRANS_STMT_ROLLBACK_PREPARED": "ROLLBACK PREPARED"
        default: nil
        }
    }
}
