import Foundation

/// Reads `-- tenantry:` comment lines. Unknown names are errors rather than comments, so a typo such as
/// `-- tenantry:no-transactoin` cannot silently run a CIC file inside a transaction.
enum DirectiveParser {
    /// The directives Tenantry understands, as shown in messages.
    static let known = ["-- tenantry:no-transaction", "-- tenantry:lock-timeout <duration>", "-- tenantry:statement-timeout <duration>"]
    static let durationUnits: Set<Substring> = ["", "ms", "s", "min", "h", "d"]

    /// The directives on lines `range` (0-based) of `file`; one of each at most.
    static func parse(_ file: CatalogFile, lines range: Range<Int>) throws(TenantryError) -> MigrationDirectives {
        var result = MigrationDirectives()
        var seen: [Substring: Int] = [:]
        for index in range {
            guard let (name, value) = directive(in: file.lines[index]) else { continue }
            let location = file.location(index)
            if let first = seen[name] {
                throw .setup("\(location): -- tenantry:\(name) appears twice (first on line \(first + 1))", hint: "keep one of them")
            }
            seen[name] = index
            switch name {
            case "no-transaction":
                guard value.isEmpty else {
                    throw .setup("\(location): -- tenantry:no-transaction takes no value, got '\(value)'", hint: "write it alone on its line")
                }
                result.transactional = false
            case "lock-timeout":
                result.lockTimeout = try duration(value, of: name, at: location)
            case "statement-timeout":
                result.statementTimeout = try duration(value, of: name, at: location)
            default:
                throw .setup("\(location): unknown directive -- tenantry:\(name)",
                             hint: "known directives: \(known.joined(separator: ", "))")
            }
        }
        return result
    }

    /// A section's directives on top of the file's: its timeouts win, and either can turn the transaction off.
    static func merge(_ file: MigrationDirectives, _ section: MigrationDirectives) -> MigrationDirectives {
        MigrationDirectives(transactional: file.transactional && section.transactional,
                            lockTimeout: section.lockTimeout ?? file.lockTimeout,
                            statementTimeout: section.statementTimeout ?? file.statementTimeout)
    }

    /// `(name, value)` when `line` is a `-- tenantry:name value` comment; nil for any other line.
    static func directive(in line: Substring) -> (name: Substring, value: Substring)? {
        var rest = line.drop(while: \.isWhitespace)
        guard rest.hasPrefix("--") else { return nil }
        rest = rest.dropFirst(2).drop(while: \.isWhitespace)
        guard rest.hasPrefix("tenantry:") else { return nil }
        rest = rest.dropFirst("tenantry:".count)
        let name = rest.prefix { !$0.isWhitespace }
        return (name, trimmed(rest.dropFirst(name.count)))
    }

    /// Loose check of a PostgreSQL time setting: a number and an optional unit (`5s`, `500ms`, `10min`, `0`).
    /// The value is kept as written; the server has the last word.
    private static func duration(_ value: Substring, of name: Substring, at location: String) throws(TenantryError) -> String {
        var rest = value
        let whole = rest.prefix(while: \.isASCIIDigit)
        rest = rest.dropFirst(whole.count)
        if rest.first == "." {
            let fraction = rest.dropFirst().prefix(while: \.isASCIIDigit)
            rest = fraction.isEmpty ? "." : rest.dropFirst(1 + fraction.count)
        }
        guard !whole.isEmpty, durationUnits.contains(rest.drop(while: \.isWhitespace)) else {
            throw .setup("\(location): -- tenantry:\(name) needs a duration such as 5s, 500ms, 10min or 0, got '\(value)'",
                         hint: "units: ms, s, min, h, d (none means milliseconds)")
        }
        return String(value)
    }

    private static func trimmed(_ text: Substring) -> Substring {
        guard let last = text.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return text[...last].drop(while: \.isWhitespace)
    }
}
