/// Reads golang-migrate folders: `N_name.up.sql` with an optional `N_name.down.sql`, each file a whole script.
struct GolangMigrateReader: MigrationFormatReader {
    static let expected = "N_name.up.sql, and optionally N_name.down.sql (000001_create_wells.up.sql)"

    struct FileName {
        var version: MigrationVersion
        var name: String
        var isUp: Bool
    }

    /// The parts of a golang-migrate file name, or nil when `file` is not one.
    static func parse(_ file: String) -> FileName? {
        for (suffix, isUp) in [(".up.sql", true), (".down.sql", false)] where file.hasSuffix(suffix) {
            guard let (version, name) = splitVersionPrefix(file.dropLast(suffix.count)),
                  file.dropFirst(version.text.count).hasPrefix("_") else { return nil }
            return FileName(version: version, name: String(name), isUp: isUp)
        }
        return nil
    }

    /// `.sql` files outside the naming pattern (`1_x_down.sql`, `notes.sql`): golang-migrate skips them.
    func ignored(in folder: MigrationFolder) -> [String] {
        folder.sqlFiles.filter { Self.parse($0) == nil }.map {
            "\($0) is not a golang-migrate file name (\(Self.expected)) and is skipped, as golang-migrate does"
        }
    }

    func migrations(in folder: MigrationFolder) throws(TenantryError) -> [Migration] {
        var ups: [(FileName, String)] = []
        var downs: [MigrationVersion: String] = [:]
        for file in folder.sqlFiles {
            guard let parsed = Self.parse(file) else { continue }  // skipped, as golang-migrate does (`ignored`)
            if parsed.isUp {
                ups.append((parsed, file))
            } else if let other = downs[parsed.version] {
                throw .setup("duplicate down migrations for version \(parsed.version): \(other) and \(file)", hint: "remove one of them")
            } else {
                downs[parsed.version] = file
            }
        }
        let upVersions = Set(ups.map(\.0.version))
        if let orphan = downs.filter({ !upVersions.contains($0.key) }).values.sorted().first {
            throw .setup("\(orphan): a down migration without its up file (\(orphan.replacingSuffix(".down.sql", with: ".up.sql")))",
                         hint: "restore the .up.sql file, or remove \(orphan)")
        }
        var result: [Migration] = []
        for (parsed, name) in ups {
            let up = try folder.read(name)
            let down = try downs[parsed.version].map { (name) throws(TenantryError) in try MigrationScript.wholeFile(folder.read(name), from: .golangMigrate) }
            result.append(Migration(version: parsed.version, name: parsed.name, file: name, checksum: up.checksum,
                                    up: try .wholeFile(up, from: .golangMigrate), down: down))
        }
        return result
    }
}

fileprivate extension String {
    func replacingSuffix(_ suffix: String, with replacement: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) + replacement : self
    }
}
