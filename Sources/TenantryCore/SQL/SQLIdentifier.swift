import Foundation

/// A PostgreSQL identifier (database, schema, role, table name), validated and quoted.
///
/// This is the only code allowed to turn a name into SQL text: everything else interpolates `quoted`.
public struct SQLIdentifier: Sendable, Hashable, CustomStringConvertible {
    /// PostgreSQL truncates identifiers longer than NAMEDATALEN - 1 bytes; we refuse them instead.
    public static let maxBytes = 63

    public let name: String

    public init(_ name: String) throws(TenantryError) {
        guard !name.isEmpty else {
            throw .usage("an empty name is not a valid PostgreSQL identifier")
        }
        guard !name.utf8.contains(0) else {
            throw .usage("the name \(Self.printable(name)) contains a NUL byte", hint: "use letters, digits and underscores")
        }
        guard name.utf8.count <= Self.maxBytes else {
            throw .usage("the name \(Self.printable(name)) is \(name.utf8.count) bytes; PostgreSQL allows at most \(Self.maxBytes)",
                         hint: "choose a shorter name")
        }
        self.name = name
    }

    /// `"name"` with embedded double quotes doubled, safe to place in SQL text.
    public var quoted: String {
        // Most names hold no quote; this is on the path of every statement a fleet run builds.
        guard name.utf8.contains(UInt8(ascii: "\"")) else { return "\"" + name + "\"" }
        return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public var description: String { name }

    /// The schema every new database has.
    public static let `public` = try! SQLIdentifier("public")

    /// A name shown in messages: control characters escaped, long names shortened.
    static func printable(_ name: String) -> String {
        let escaped = name.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
        return "'" + (escaped.count > 80 ? escaped.prefix(77) + "..." : escaped) + "'"
    }
}
