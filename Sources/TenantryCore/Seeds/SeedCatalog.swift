import Foundation

/// The seeds of one folder (`seeds/master` or `seeds/tenant`), read and checksummed once.
///
/// Every top-level `*.sql` file is a seed; they apply in file-name order (so number them: `001_…`, `002_…`).
/// Hidden files and other extensions are ignored.
public struct SeedCatalog: Sendable, Equatable {
    /// The folder the seeds were read from, as given.
    public var directory: String
    /// In file-name order.
    public var seeds: [Seed]

    /// A catalog of given seeds (sorted here by file name), for callers and tests that build one without a folder.
    public init(directory: String, seeds: [Seed]) {
        self.directory = directory
        self.seeds = seeds.sorted { $0.file < $1.file }
    }

    /// Reads every seed of `directory`.
    ///
    /// A missing folder is not an error: seeds are optional, so it is a catalog with no seeds.
    /// - Throws: `.setup` when `directory` is a file, or a seed cannot be read or is not UTF-8.
    public static func load(directory: String) throws(TenantryError) -> SeedCatalog {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            return SeedCatalog(directory: directory, seeds: [])
        }
        guard isDirectory.boolValue else {
            throw .setup("seeds folder \(directory) is a file, not a folder", hint: "move the file away, or point the seeds setting at a folder")
        }
        let folder = try MigrationFolder(path: directory)
        var seeds: [Seed] = []
        for name in folder.sqlFiles {
            let file = try folder.read(name)
            seeds.append(Seed(name: String(name.dropLast(".sql".count)), file: name, sql: file.text, checksum: file.checksum))
        }
        return SeedCatalog(directory: directory, seeds: seeds)
    }
}
