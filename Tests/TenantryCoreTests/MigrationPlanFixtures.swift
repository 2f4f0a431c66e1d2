import Foundation

@testable import TenantryCore

/// Catalog and history values built in Swift, for the plan tests (no files).
enum MigrationPlanFixtures {
    /// A version from a literal the test wrote; a typo there should crash the test loudly.
    static func v(_ text: String) -> MigrationVersion {
        guard let version = MigrationVersion(text) else { fatalError("bad version literal \(text)") }
        return version
    }

    /// A 64-hex checksum derived from `seed`, so distinct files get distinct, recognisable prefixes.
    static func checksum(_ seed: String) -> String {
        let hex = seed.utf8.map { String($0, radix: 16) }.joined()
        return String((hex + String(repeating: "0", count: 64)).prefix(64))
    }

    static func migration(
        _ version: String, _ name: String = "step", checksum: String? = nil, down: Bool = true, transactional: Bool = true
    ) -> Migration {
        let file = "\(version)_\(name).sql"
        return Migration(
            version: v(version), name: name, file: file, checksum: checksum ?? Self.checksum(file),
            up: MigrationScript(sql: "SELECT 1;", file: file, firstLine: 2, directives: .init(transactional: transactional)),
            down: down ? MigrationScript(sql: "SELECT 2;", file: file, firstLine: 4) : nil)
    }

    /// The history row for `migration` as it was applied (same checksum unless told otherwise).
    static func row(
        _ migration: Migration, checksum: String? = nil, kind: AppliedMigration.Kind = .applied,
        statements: (applied: Int, total: Int)? = nil
    ) -> AppliedMigration {
        row(migration.version.text, migration.name, checksum: checksum ?? migration.checksum, kind: kind, statements: statements)
    }

    static func row(
        _ version: String, _ name: String = "step", checksum: String, kind: AppliedMigration.Kind = .applied,
        statements: (applied: Int, total: Int)? = nil
    ) -> AppliedMigration {
        AppliedMigration(
            version: v(version), name: name, checksum: checksum, appliedAt: Date(timeIntervalSince1970: 1_750_000_000),
            executionMilliseconds: 12, appliedBy: "tester", kind: kind,
            statementsApplied: statements?.applied, statementsTotal: statements?.total)
    }

    /// One migration per version, in the order given.
    static func catalog(_ versions: [String]) -> [Migration] { versions.map { migration($0) } }

    /// History rows for the catalog migrations whose version text is in `versions`.
    static func history(_ catalog: [Migration], applied versions: [String]) -> [AppliedMigration] {
        catalog.filter { versions.contains($0.version.text) }.map { row($0) }
    }
}
