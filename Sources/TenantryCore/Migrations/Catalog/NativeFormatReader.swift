/// Reads `VERSION_name.sql` files split by `-- migrate:up` / `-- migrate:down`: Tenantry's own format, which
/// is also dbmate's.
struct NativeFormatReader: MigrationFormatReader {
    static let expected = "VERSION_name.sql, VERSION being digits (0001_create_wells.sql, 20251103170000_create_wells.sql)"

    func migrations(in folder: MigrationFolder) throws(TenantryError) -> [Migration] {
        var result: [Migration] = []
        for name in folder.sqlFiles {
            guard let (version, title) = splitVersionPrefix(name.dropLast(4)), !title.isEmpty else {
                throw .setup("\(name): not a migration file name; expected \(Self.expected)",
                             hint: "rename it, or move files that are not migrations out of \(folder.path)")
            }
            result.append(try migration(try folder.read(name), version: version, name: String(title)))
        }
        return result
    }

    func migration(_ file: CatalogFile, version: MigrationVersion, name: String) throws(TenantryError) -> Migration {
        var up: SectionMarker?
        var down: SectionMarker?
        for index in file.lines.indices {
            guard let marker = try SectionMarker.parse(file, line: index) else { continue }
            let previous = marker.direction == .up ? up : down
            if let previous {
                throw .setup("\(file.location(index)): a second -- migrate:\(marker.direction) (the first is on line \(previous.line + 1))",
                             hint: "a file holds one up section and at most one down section")
            }
            if marker.direction == .up { up = marker } else { down = marker }
        }
        guard let up else {
            throw .setup("\(file.name): no -- migrate:up line, so there is nothing to apply",
                         hint: "put -- migrate:up above the SQL to apply, and -- migrate:down above the SQL that undoes it")
        }
        if let down, down.line < up.line {
            throw .setup("\(file.location(down.line)): -- migrate:down comes before -- migrate:up (line \(up.line + 1))",
                         hint: "put the up section first")
        }
        try checkHeader(file, end: up.line)
        let fileDirectives = try DirectiveParser.parse(file, lines: 0..<up.line)
        let upScript = try script(file, after: up, end: down?.line ?? file.lines.count, fileDirectives)
        let downScript = try down.map { (marker) throws(TenantryError) in
            try script(file, after: marker, end: file.lines.count, fileDirectives)
        }
        return Migration(version: version, name: name, file: file.name, checksum: file.checksum, up: upScript, down: downScript)
    }

    /// Above `-- migrate:up` only comments may stand (dbmate refuses statements there too): SQL would never run.
    private func checkHeader(_ file: CatalogFile, end: Int) throws(TenantryError) {
        for index in 0..<end {
            let line = file.lines[index].drop(while: \.isWhitespace)
            guard line.isEmpty || line.hasPrefix("--") else {
                throw .setup("\(file.location(index)): SQL before -- migrate:up would never run",
                             hint: "only comments and -- tenantry: directives may precede -- migrate:up; move the SQL below it")
            }
        }
    }

    private func script(_ file: CatalogFile, after marker: SectionMarker, end: Int,
                        _ fileDirectives: MigrationDirectives) throws(TenantryError) -> MigrationScript {
        let lines = (marker.line + 1)..<end
        var directives = DirectiveParser.merge(fileDirectives, try DirectiveParser.parse(file, lines: lines))
        if !marker.transactional { directives.transactional = false }
        return MigrationScript(sql: file.text(lines: lines), file: file.name, firstLine: marker.line + 2, directives: directives)
    }
}
