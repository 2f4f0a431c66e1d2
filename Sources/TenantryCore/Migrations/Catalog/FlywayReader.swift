import Foundation

/// Reads Flyway folders: versioned `V<version>__<name>.sql`, undo `U<version>__<name>.sql` and repeatable
/// `R__<name>.sql` (run after the versioned ones whenever their checksum changes), each file a whole script. Flyway writes `_` for `.` in versions (`V1_2__x.sql` is 1.2); the version is kept with dots.
struct FlywayReader: MigrationFormatReader {
    static let expected = "V<version>__<name>.sql, undo U<version>__<name>.sql, repeatable R__<name>.sql (V1__create_wells.sql, V1.2__add_index.sql)"

    struct FileName {
        var prefix: Character
        var version: MigrationVersion
        var name: String
    }

    /// True when `file` looks like a Flyway migration (versioned, undo or repeatable): used for detection.
    static func looksLikeFlyway(_ file: String) -> Bool {
        if file.hasPrefix("R__") { return true }
        guard let first = file.first, first == "V" || first == "U" else { return false }
        return file.dropFirst().first?.isASCIIDigit == true && file.contains("__")
    }

    /// The parts of a `V` or `U` file name, or nil when `file` is not one.
    static func parse(_ file: String) -> FileName? {
        guard let prefix = file.first, prefix == "V" || prefix == "U", file.hasSuffix(".sql") else { return nil }
        let stem = file.dropFirst().dropLast(4)
        guard let separator = stem.firstRange(of: "__"),
              let version = MigrationVersion(stem[..<separator.lowerBound].replacingOccurrences(of: "_", with: ".")) else { return nil }
        return FileName(prefix: prefix, version: version, name: String(stem[separator.upperBound...]))
    }

    func migrations(in folder: MigrationFolder) throws(TenantryError) -> [Migration] {
        var versioned: [(FileName, String)] = []
        var undos: [MigrationVersion: String] = [:]
        var repeatables: [Migration] = []
        for file in folder.sqlFiles {
            if file.hasPrefix("R__") {
                let name = String(file.dropFirst(3).dropLast(4))
                guard !name.isEmpty, file.hasSuffix(".sql") else {
                    throw .setup("\(file): a repeatable Flyway migration needs a name (R__<name>.sql)", hint: "rename it")
                }
                let contents = try folder.read(file)
                var migration = Migration(version: MigrationVersion(repeatable: name), name: name, file: file, checksum: contents.checksum,
                                          up: try .wholeFile(contents, from: .flyway), down: nil)
                migration.toolStamp = String(FlywayChecksum.of(contents))
                repeatables.append(migration)
                continue
            }
            guard let parsed = Self.parse(file) else {
                throw .setup("\(file): not a Flyway migration name; expected \(Self.expected)",
                             hint: "rename it, or move files that are not migrations out of \(folder.path)")
            }
            if parsed.prefix == "V" {
                versioned.append((parsed, file))
            } else if let other = undos[parsed.version] {
                throw .setup("duplicate undo migrations for version \(parsed.version): \(other) and \(file)", hint: "remove one of them")
            } else {
                undos[parsed.version] = file
            }
        }
        let versions = Set(versioned.map(\.0.version))
        if let orphan = undos.filter({ !versions.contains($0.key) }).values.sorted().first {
            throw .setup("\(orphan): an undo migration without its versioned file (V…__name.sql of the same version)",
                         hint: "restore the V file, or remove \(orphan)")
        }
        var result = repeatables
        for (parsed, name) in versioned {
            let up = try folder.read(name)
            let undo = try undos[parsed.version].map { (name) throws(TenantryError) in try MigrationScript.wholeFile(folder.read(name), from: .flyway) }
            var migration = Migration(version: parsed.version, name: parsed.name, file: name, checksum: up.checksum,
                                      up: try .wholeFile(up, from: .flyway), down: undo)
            migration.toolStamp = String(FlywayChecksum.of(up))
            result.append(migration)
        }
        return result
    }
}
