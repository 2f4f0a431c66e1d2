/// Turns the files of a folder into migrations for one format. The catalog sorts them and checks versions
/// are unique; a reader checks everything that depends on its format's file names and contents.
protocol MigrationFormatReader: Sendable {
    func migrations(in folder: MigrationFolder) throws(TenantryError) -> [Migration]
    /// Files the format's own tool skips, and why: skipped here too, with a warning.
    func ignored(in folder: MigrationFolder) -> [String]
}

extension MigrationFormatReader {
    func ignored(in folder: MigrationFolder) -> [String] { [] }
}

extension MigrationScript {
    /// A script that is a whole file (golang-migrate, Flyway, Drizzle): its directives may sit anywhere in it.
    static func wholeFile(_ file: CatalogFile) throws(TenantryError) -> MigrationScript {
        MigrationScript(sql: file.text, file: file.name, firstLine: 1,
                        directives: try DirectiveParser.parse(file, lines: file.lines.indices))
    }
}

/// `N_rest`: the version digits at the start of `stem` and what follows the `_` (nil when there are no digits,
/// or something other than `_` follows them).
func splitVersionPrefix(_ stem: Substring) -> (version: MigrationVersion, rest: Substring)? {
    let digits = stem.prefix(while: \.isASCIIDigit)
    let rest = stem.dropFirst(digits.count)
    guard let version = MigrationVersion(String(digits)), rest.isEmpty || rest.first == "_" else { return nil }
    return (version, rest.dropFirst())
}
