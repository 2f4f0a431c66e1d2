import Foundation

/// Reads a `.env` file: `KEY=value`, optional `export `, single or double quotes, `#` comments.
public enum DotEnv {
    public static func parse(_ text: String, file: String) throws(TenantryError) -> [String: String] {
        var values: [String: String] = [:]
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard let equals = line.firstIndex(of: "=") else {
                throw .setup("\(file):\(offset + 1): expected KEY=value", hint: "quote values that contain spaces or '#'")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw .setup("\(file):\(offset + 1): '\(key)' is not a valid variable name")
            }
            values[key] = try value(String(line[line.index(after: equals)...]), file: file, line: offset + 1)
        }
        return values
    }

    private static func value(_ raw: String, file: String, line: Int) throws(TenantryError) -> String {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard let quote = text.first, quote == "\"" || quote == "'" else {
            // Unquoted: a " #" starts a comment.
            if let comment = text.range(of: " #") { return text[..<comment.lowerBound].trimmingCharacters(in: .whitespaces) }
            return text
        }
        let body = text.dropFirst()
        guard let end = body.lastIndex(of: quote) else {
            throw .setup("\(file):\(line): a quoted value is missing its closing \(quote)")
        }
        let inner = String(body[..<end])
        guard quote == "\"" else { return inner }
        return inner.replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\\"", with: "\"")
    }
}
