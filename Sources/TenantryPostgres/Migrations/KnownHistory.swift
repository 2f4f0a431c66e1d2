import Crypto
import Foundation
import TenantryCore

/// What a migration block checks before it runs when it was planned from a history read earlier without the lock
/// (a fleet run's bulk read): it takes the target's lock for its own transaction and proves the history is still
/// the one planned from, or raises one of these SQLSTATEs and changes nothing.
enum KnownHistory {
    /// Another session holds the target's lock.
    static let lockedState = "TY002"
    /// The history is not the one the block was planned from.
    static let changedState = "TY001"

    /// One history row, as far as planning depends on it.
    struct Row: Equatable {
        var version: String
        var checksum: String
        var kind: String
        var statementsApplied: Int?
        var statementsTotal: Int?

        init(_ applied: AppliedMigration) {
            version = applied.version.text
            checksum = applied.checksum
            kind = applied.kind.rawValue
            statementsApplied = applied.statementsApplied
            statementsTotal = applied.statementsTotal
        }

        /// The row a transactional migration's block inserts.
        init(applying migration: Migration) {
            version = migration.version.text
            checksum = migration.checksum
            kind = AppliedMigration.Kind.applied.rawValue
        }

        /// As the server's `format('%s,%s,%s,%s,%s', ...)` writes it (NULL as nothing).
        var line: String {
            [version, checksum, kind, statementsApplied.map(String.init) ?? "", statementsTotal.map(String.init) ?? ""]
                .joined(separator: ",")
        }
    }

    /// The block's first statements: the transaction-level lock (released by its COMMIT or ROLLBACK; it conflicts
    /// with the session-level lock every other Tenantry command takes), then the history's fingerprint.
    static func checks(lockKey: Int64, historyTable: String, expected rows: [Row]) -> [String] {
        [
            "IF NOT pg_try_advisory_xact_lock(\(lockKey)) THEN "
                + "RAISE EXCEPTION USING ERRCODE = '\(lockedState)', MESSAGE = 'tenantry: the target is locked'; END IF;",
            "IF (SELECT md5(coalesce(string_agg(format('%s,%s,%s,%s,%s', version, checksum, kind, statements_applied, "
                + "statements_total), ';' ORDER BY version COLLATE \"C\"), '')) FROM \(historyTable)) "
                + "IS DISTINCT FROM \(MigrationBlock.text(fingerprint(rows))) THEN "
                + "RAISE EXCEPTION USING ERRCODE = '\(changedState)', MESSAGE = 'tenantry: the history changed'; END IF;",
        ]
    }

    /// What `DISCARD ALL` would do after a block's file, done inside its transaction instead (DISCARD ALL cannot
    /// run in one), which saves a round trip per tenant on a kept connection: session settings a function in
    /// the file may have made, temporary tables, session advisory locks. The kinds a block may hold prepare no
    /// statement, open no cursor and listen to nothing. One `EXECUTE` for the three: each PL/pgSQL statement of
    /// a `DO` is prepared and planned anew, and a fleet run sends thousands of blocks.
    static let sessionReset = ["EXECUTE 'RESET ALL; DISCARD TEMP; SELECT pg_advisory_unlock_all()';"]

    /// md5 of the rows in byte order of their versions (the server's `COLLATE "C"`), one line each.
    static func fingerprint(_ rows: [Row]) -> String {
        let text = rows.sorted { $0.version.utf8.lexicographicallyPrecedes($1.version.utf8) }.map(\.line).joined(separator: ";")
        return hex(Insecure.MD5.hash(data: Data(text.utf8)))
    }

    /// Lower-case hex, as the server's `md5()` writes it (built per byte: a fleet run computes thousands).
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
