/// A string literal for the few statements that take no bind parameters (DDL such as `ALTER ROLE ... PASSWORD`).
///
/// It accepts only text that reads the same under any `standard_conforming_strings` setting: no quote, no
/// backslash, nothing outside printable ASCII. A SCRAM verifier (base64, digits, `$`, `:`, `-`) always fits.
public struct SQLLiteral: Sendable, Hashable {
    public let value: String

    public init(_ value: String) throws(TenantryError) {
        let safe = value.utf8.allSatisfy { byte in
            byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "'") && byte != UInt8(ascii: "\\")
        }
        guard safe else {
            throw .usage("this value cannot be written as an SQL literal safely (it holds a quote, a backslash or a non-ASCII character)")
        }
        self.value = value
    }

    /// `'value'`, safe to place in SQL text.
    public var quoted: String { "'\(value)'" }
}
