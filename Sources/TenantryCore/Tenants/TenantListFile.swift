import Foundation

/// `tenant create --from FILE`: one slug per line, or CSV lines `slug,name,tier` (an optional header line
/// `slug,name,tier`; blank lines and `#` comments ignored). Every line is checked before anything is created.
public struct TenantListFile: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var slug: TenantSlug
        public var name: String?
        public var tier: String?
        public var line: Int
    }

    public var entries: [Entry]

    public static func load(path: String) throws(TenantryError) -> TenantListFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .usage("cannot read \(path)", hint: "give a file with one tenant slug per line, or CSV lines slug,name,tier")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .usage("\(path) is not UTF-8 text")
        }
        return try parse(text, file: (path as NSString).lastPathComponent)
    }

    public static func parse(_ text: String, file: String) throws(TenantryError) -> TenantListFile {
        var entries: [Entry] = []
        var problems: [String] = []
        var seen: [String: Int] = [:]
        // "\r\n" is one Character in Swift: split on it, "\n" and a lone "\r" alike (files saved on Windows).
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).enumerated() {
            let line = String(raw)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = trimmed.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if entries.isEmpty && problems.isEmpty && fields.first?.lowercased() == "slug" { continue }  // header
            guard fields.count <= 3 else {
                problems.append("\(file):\(index + 1): expected slug or slug,name,tier, found \(fields.count) fields")
                continue
            }
            // The registry's text columns cannot hold NUL, and control characters have no place in a name or tier.
            if let field = fields.dropFirst().first(where: { $0.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } }) {
                problems.append("\(file):\(index + 1): the name or tier \(field.debugDescription) holds a control character (NUL, tab, escape, ...)")
                continue
            }
            do {
                let slug = try TenantSlug(fields[0])
                if let first = seen[slug.value] {
                    problems.append("\(file):\(index + 1): \(slug) is listed twice (first on line \(first))")
                    continue
                }
                seen[slug.value] = index + 1
                entries.append(Entry(slug: slug, name: fields.count > 1 && !fields[1].isEmpty ? fields[1] : nil,
                                     tier: fields.count > 2 && !fields[2].isEmpty ? fields[2] : nil, line: index + 1))
            } catch {
                problems.append("\(file):\(index + 1): \(error.message)")
            }
        }
        guard problems.isEmpty else {
            let shown = problems.prefix(10).joined(separator: "\n  ")
            let more = problems.count > 10 ? "\n  ... and \(problems.count - 10) more" : ""
            throw .usage("\(file) has \(problems.count) bad line\(problems.count == 1 ? "" : "s"); nothing was created:\n  \(shown)\(more)",
                         hint: "one slug per line, or slug,name,tier; \(TenantSlug.rules)")
        }
        guard !entries.isEmpty else { throw .usage("\(file) lists no tenants") }
        return TenantListFile(entries: entries)
    }
}
