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
    /// A script that is a whole file of another tool's folder: its directives may sit anywhere in it. A file made
    /// only of statements PostgreSQL refuses in a transaction (`CREATE INDEX CONCURRENTLY`) runs without one, as
    /// Flyway runs it, with no directive needed.
    static func wholeFile(_ file: CatalogFile, from format: MigrationFormat, explicitStatements: [String]? = nil) throws(TenantryError) -> MigrationScript {
        var script = MigrationScript(sql: file.text, file: file.name, firstLine: 1,
                                     directives: try DirectiveParser.parse(file, lines: file.lines.indices), explicitStatements: explicitStatements)
        script.importedFrom = format
        if script.directives.transactional, let statements = try? StatementAnalyzer.statements(of: script), !statements.isEmpty,
           statements.allSatisfy({ $0.refusesTransaction != nil }) {
            script.directives.transactional = false
        }
        return script
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
