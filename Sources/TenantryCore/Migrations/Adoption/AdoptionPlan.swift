import Foundation

/// What `adopt` records on one target: another tool's history rows matched to the catalog.
///
/// Rows are matched by the tool's hash where it keeps one (Drizzle), else by version or name; a recorded checksum
/// (Prisma, Flyway) must still match the file. A failed or dirty row, a row no file matches, or a file changed since
/// the tool ran it is a problem, and a target with a problem gets nothing recorded: adopting around it would let
/// `migrate` run a file on a database in an unknown state, or call a changed file applied.
public struct AdoptionPlan: Sendable {
    public struct Adopted: Sendable, Equatable {
        public var migration: Migration
        /// The tool's applied time, when it recorded one.
        public var appliedAt: Date?
    }

    public let tool: ForeignTool
    /// The catalog's migrations the tool applied and Tenantry's history does not have yet: recorded as baseline.
    public var adopted: [Adopted] = []
    /// Already in Tenantry's history: left as they are.
    public var alreadyRecorded: [Migration] = []
    /// Catalog files the tool's history does not have: `migrate` applies them after the adoption.
    public var pending: [Migration] = []
    /// Each reason nothing is recorded on this target, with what to do.
    public var problems: [String] = []
    /// Worth saying, not blocking (a changed file adopted with --accept-changed).
    public var notes: [String] = []

    public var isBlocked: Bool { !problems.isEmpty }

    /// - Parameters:
    ///   - acceptChanged: a file whose checksum differs from the tool's record is adopted as it is now (the user
    ///     checked that the database matches it) instead of blocking.
    public static func make(catalog: [Migration], tool: ForeignTool, table: String, entries: [ForeignEntry],
                            applied: [AppliedMigration], acceptChanged: Bool = false) -> AdoptionPlan {
        var plan = AdoptionPlan(tool: tool)
        var matched: [MigrationVersion: Date?] = [:]
        func take(_ migration: Migration, _ entry: ForeignEntry) {
            if matched[migration.version] == nil { matched[migration.version] = .some(entry.appliedAt) }
        }
        func changed(_ migration: Migration, _ entry: ForeignEntry) {
            if acceptChanged {
                plan.notes.append("\(migration.file) changed since \(tool) applied it; adopted as it is now (--accept-changed)")
                take(migration, entry)
            } else {
                plan.problems.append("\(migration.file) changed since \(tool) applied it (\(table) records another checksum): "
                                     + "restore the file as it ran, or check the database matches it and adopt with --accept-changed")
            }
        }
        for entry in entries {
            if let failure = entry.failure {
                plan.problems.append("\(table) has \(entry.label) \(failure): \(tool.resolveHint), then adopt again")
                continue
            }
            switch entry.key {
            case .version(let text):
                let version = MigrationVersion(text)
                if version?.isRepeatable == true {
                    // A repeatable as it last ran: adopted when unchanged; changed, it runs again; gone, nothing to do.
                    if let migration = catalog.first(where: { $0.version == version }), entry.checksum == migration.toolStamp {
                        take(migration, entry)
                    }
                    continue
                }
                guard let migration = catalog.first(where: { $0.version == version }) else {
                    plan.problems.append(noFile(entry, table: table))
                    continue
                }
                if let checksum = entry.checksum, let stamp = migration.toolStamp, checksum != stamp {
                    changed(migration, entry)
                } else {
                    take(migration, entry)
                }
            case .upTo(let text, let exact):
                guard let version = MigrationVersion(text), !exact || catalog.contains(where: { $0.version == version }) else {
                    plan.problems.append(noFile(entry, table: table))
                    continue
                }
                for migration in catalog where migration.version <= version { take(migration, entry) }
            case .name(let name):
                guard let migration = catalog.first(where: { Self.names($0, name) }) else {
                    plan.problems.append(noFile(entry, table: table))
                    continue
                }
                if let checksum = entry.checksum, checksum.lowercased() != migration.checksum {
                    changed(migration, entry)
                } else {
                    take(migration, entry)
                }
            case .hash(let hash, let when):
                if let migration = catalog.first(where: { $0.checksum == hash.lowercased() }) {
                    take(migration, entry)
                } else if let when, let migration = catalog.first(where: { $0.toolStamp == when }) {
                    changed(migration, entry)
                } else {
                    plan.problems.append(noFile(entry, table: table))
                }
            }
        }
        let recorded = Set(applied.map(\.version))
        for migration in catalog {
            if recorded.contains(migration.version) {
                plan.alreadyRecorded.append(migration)
            } else if let appliedAt = matched[migration.version] {
                plan.adopted.append(Adopted(migration: migration, appliedAt: appliedAt))
            } else {
                plan.pending.append(migration)
            }
        }
        if tool == .drizzle { plan.notes += drizzleSkipped(plan.pending, entries: entries, table: table) }
        return plan
    }

    /// Drizzle's migrator runs only files whose journal `when` is after the latest row's `created_at`: a pending file
    /// below it was skipped by drizzle (a merged branch) or marked applied by hand with another hash. Tenantry keeps
    /// it pending (only a row with its hash proves it ran) and says so.
    static func drizzleSkipped(_ pending: [Migration], entries: [ForeignEntry], table: String) -> [String] {
        let latest = entries.compactMap { entry -> Int64? in
            guard case .hash(_, let when?) = entry.key else { return nil }
            return Int64(when)
        }.max()
        guard let latest else { return [] }
        return pending.filter { migration in migration.toolStamp.flatMap { Int64($0) }.map { $0 <= latest } ?? false }.map {
            "\($0.file) has no row in \(table), but its journal time is before the latest created_at there, so drizzle would never "
                + "run it: it stays pending; if its changes are in the database already, `tenantry mark-applied` records it"
        }
    }

    /// Prisma names the folder, knex the file with its own extension (`.js`, `.ts`, `.sql`): compared without it.
    static func names(_ migration: Migration, _ name: String) -> Bool {
        let folder = migration.file.split(separator: "/").first.map(String.init) ?? migration.file
        if folder != migration.file { return folder == name }
        return stem(migration.file) == stem(name)
    }

    private static func stem(_ file: String) -> Substring {
        let base = file.split(separator: "/").last ?? Substring(file)
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return base }
        return base[..<dot]
    }

    private static func noFile(_ entry: ForeignEntry, table: String) -> String {
        "\(table) records \(entry.label), which no file of the folder matches: restore that file, or, if it is gone on purpose, "
            + "delete that row from \(table) by hand, then adopt again"
    }
}
