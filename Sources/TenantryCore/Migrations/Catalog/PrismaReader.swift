import Foundation

/// Reads Prisma folders (`prisma/migrations`): one folder per migration, `<timestamp>_<name>/migration.sql`, in
/// folder-name order (Prisma's own), and `migration_lock.toml` naming the provider.
///
/// The version is the timestamp. Two folders may share one (two developers generating in the same second): the
/// first by name keeps the bare timestamp, the next ones get `.1`, `.2`… in name order, so the version of a
/// migration already applied never changes when a later folder with its timestamp arrives.
struct PrismaReader: MigrationFormatReader {
    static let lockFile = "migration_lock.toml"
    static let script = "migration.sql"

    /// Whether the folder is laid out the Prisma way: a lock file, or a `…/migration.sql`.
    static func looksLikePrisma(_ folder: MigrationFolder) -> Bool {
        folder.contains(lockFile) || folder.names.contains { folder.contains("\($0)/\(script)") }
    }

    func migrations(in folder: MigrationFolder) throws(TenantryError) -> [Migration] {
        try checkProvider(folder)
        var result: [Migration] = []
        for name in folder.names where folder.isDirectory(name) {
            guard let (timestamp, title) = splitVersionPrefix(Substring(name)) else {
                throw .setup("\(name): not a Prisma migration folder; expected <timestamp>_<name>/\(Self.script) (20240101120000_init)",
                             hint: "rename it, or move it out of \(folder.path)")
            }
            let fileName = "\(name)/\(Self.script)"
            guard folder.contains(fileName) else {
                throw .setup("\(name) has no \(Self.script)", hint: "restore \(fileName), or remove the folder \(name)")
            }
            let sharing = result.filter { $0.version.text.split(separator: ".").first.map(String.init) == timestamp.text }.count
            guard let version = MigrationVersion(sharing == 0 ? timestamp.text : "\(timestamp.text).\(sharing)") else { continue }
            let file = try folder.read(fileName)
            result.append(Migration(version: version, name: String(title), file: fileName, checksum: file.checksum,
                                    up: try .wholeFile(file, from: .prisma), down: nil))
        }
        return result
    }

    /// `provider = "postgresql"` in the lock file; another provider's SQL is not PostgreSQL's.
    private func checkProvider(_ folder: MigrationFolder) throws(TenantryError) {
        guard folder.contains(Self.lockFile) else { return }
        let lock = try folder.read(Self.lockFile)
        let provider = lock.lines.lazy
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("provider") }?
            .split(separator: "=", maxSplits: 1).last?
            .trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
        guard let provider, provider != "postgresql", provider != "postgres" else { return }
        throw .setup("\(Self.lockFile) says these migrations were written for \(provider), not PostgreSQL",
                     hint: "point Tenantry at the migrations of a Prisma schema whose datasource provider is \"postgresql\"")
    }
}
