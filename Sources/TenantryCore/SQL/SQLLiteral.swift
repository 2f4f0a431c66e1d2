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

    /// `E'…'`, which reads back as `value` whatever `standard_conforming_strings` is: quotes doubled,
    /// backslashes and control characters escaped (so the literal stays on one line). `dollarSafe` also writes
    /// `$` as `\x24`, for a literal inside a dollar-quoted body (a `DO` block) that no value may end.
    public static func escaped(_ value: String, dollarSafe: Bool = false) -> String {
        var body = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "'": body += "''"
            case "\\": body += "\\\\"
            case "\n": body += "\\n"
            case "\r": body += "\\r"
            case "\t": body += "\\t"
            case "$" where dollarSafe: body += "\\x24"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                body += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: body.unicodeScalars.append(scalar)
            }
        }
        return "E'" + body + "'"
    }
}
