import Foundation

/// Reads Drizzle folders: `meta/_journal.json` lists the migrations (`tag` → `<tag>.sql`), and statements are
/// separated by `--> statement-breakpoint`.
struct DrizzleReader: MigrationFormatReader {
    static let journal = "meta/_journal.json"
    static let breakpoint = "--> statement-breakpoint"

    private struct Journal: Decodable {
        struct Entry: Decodable {
            var tag: String
            var when: Int64?
        }

        var entries: [Entry]
    }

    func migrations(in folder: MigrationFolder) throws(TenantryError) -> [Migration] {
        let entries = try readJournal(folder)
        var result: [Migration] = []
        for (tag, when) in entries {
            guard let (number, name) = splitVersionPrefix(Substring(tag)) else {
                throw .setup("\(Self.journal): entry '\(tag)' does not start with a version number like 0000_",
                             hint: "Tenantry orders Drizzle migrations by the number at the start of each tag")
            }
            // Two branches that each generated 0005_… and were merged: drizzle-kit runs both in journal order, so
            // the later one gets 0005.1 (as Prisma folders sharing a timestamp do), stable once applied.
            let sharing = result.filter { $0.version.text.split(separator: ".").first.map(String.init) == number.text }.count
            guard let version = sharing == 0 ? number : MigrationVersion("\(number.text).\(sharing)") else { continue }
            if let previous = result.last, previous.version >= version {
                throw .setup("\(Self.journal) lists \(tag) after \(previous.file.dropLast(4)), out of version order",
                             hint: "Tenantry applies migrations in version order; put the journal entries in that order")
            }
            let fileName = "\(tag).sql"
            guard folder.contains(fileName) else {
                throw .setup("\(Self.journal) lists \(tag), but \(fileName) is missing",
                             hint: "restore \(fileName), or regenerate the journal with drizzle-kit")
            }
            let file = try folder.read(fileName)
            let script = try MigrationScript.wholeFile(file, from: .drizzle, explicitStatements: Self.statements(file.text))
            var migration = Migration(version: version, name: String(name), file: fileName, checksum: file.checksum, up: script, down: nil)
            migration.toolStamp = when.map(String.init)
            result.append(migration)
        }
        return result
    }

    /// `.sql` files the journal does not list: drizzle-kit's migrator never runs them.
    func ignored(in folder: MigrationFolder) -> [String] {
        guard let entries = try? readJournal(folder) else { return [] }
        let listed = Set(entries.map { "\($0.tag).sql" })
        return folder.sqlFiles.filter { !listed.contains($0) }.map {
            "\($0) is not listed in \(Self.journal) and is skipped, as drizzle-kit does (add it with drizzle-kit generate --custom to run it)"
        }
    }

    /// Split the way Drizzle's migrator does (on the marker wherever it is; drizzle-kit also writes
    /// `...;--> statement-breakpoint`). Nil without a marker: the statement parser then splits the file.
    static func statements(_ text: String) -> [String]? {
        guard text.contains(breakpoint) else { return nil }
        return text.components(separatedBy: breakpoint)
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
    }

    /// The journal's entries in its order: each tag and its `when` (the `created_at` drizzle's migrator records).
    private func readJournal(_ folder: MigrationFolder) throws(TenantryError) -> [(tag: String, when: Int64?)] {
        let file = try folder.read(Self.journal)
        let journal: Journal
        do {
            journal = try JSONDecoder().decode(Journal.self, from: Data(file.text.utf8))
        } catch {
            throw .setup("\(Self.journal) is not a Drizzle journal (expected {\"entries\": [{\"tag\": \"0000_name\", …}]})",
                         hint: "regenerate it with drizzle-kit, or set the format if this folder is not a Drizzle one")
        }
        var seen = Set<String>()
        for entry in journal.entries where !seen.insert(entry.tag).inserted {
            throw .setup("\(Self.journal) lists \(entry.tag) twice", hint: "remove the repeated entry")
        }
        return journal.entries.map { ($0.tag, $0.when) }
    }
}
