import Foundation

/// A migrations folder, listed once. Readers ask it for files by name relative to the folder.
struct MigrationFolder: Sendable {
    let path: String
    /// Entries at the top of the folder, sorted; hidden ones (`.keep`, editor files) left out.
    let names: [String]

    init(path: String) throws(TenantryError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .setup("migrations folder \(path) does not exist",
                         hint: "run `tenantry init` to create it, or set master.migrations (tenants.migrations for the tenant track) in tenantry.yml")
        }
        guard isDirectory.boolValue else {
            throw .setup("migrations folder \(path) is a file, not a folder",
                         hint: "set master.migrations (tenants.migrations for the tenant track) in tenantry.yml to a folder")
        }
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            throw .setup("cannot list migrations folder \(path)", hint: "check the permissions of \(path)")
        }
        self.path = path
    }

    /// The `.sql` entries at the top of the folder: the candidates for migrations in every format.
    var sqlFiles: [String] {
        names.filter { $0.hasSuffix(".sql") }
    }

    func isDirectory(_ name: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: "\(path)/\(name)", isDirectory: &isDirectory) && isDirectory.boolValue
    }

    func contains(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: "\(path)/\(name)")
    }

    func read(_ name: String) throws(TenantryError) -> CatalogFile {
        let full = "\(path)/\(name)"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) else {
            throw .setup("cannot read \(name): it does not exist in \(path)")
        }
        if isDirectory.boolValue {
            throw .setup("cannot read \(name): it is a directory, not a file", hint: "rename or remove \(full)")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: full))
        } catch {
            throw .setup("cannot read \(name): permission denied or unreadable", hint: "check the permissions of \(full)")
        }
        return try CatalogFile(name: name, data: data)
    }
}
