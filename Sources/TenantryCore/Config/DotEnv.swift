import Foundation

/// Reads a `.env` file: `KEY=value`, optional `export `, single or double quotes, `#` comments.
public enum DotEnv {
    public static func parse(_ text: String, file: String) throws(TenantryError) -> [String: String] {
        var values: [String: String] = [:]
        for (offset, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
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
        // The value ends at the first closing quote (in double quotes, not one escaped by a backslash);
        // single quotes are literal, as in the shell. Only a comment may follow.
        var inner = ""
        var escaped = false
        var rest: Substring?
        for index in text.indices.dropFirst() {
            let character = text[index]
            if escaped {
                inner += character == "n" ? "\n" : String(character)
                escaped = false
            } else if character == "\\" && quote == "\"" {
                escaped = true
            } else if character == quote {
                rest = text[text.index(after: index)...]
                break
            } else {
                inner.append(character)
            }
        }
        guard let rest else {
            throw .setup("\(file):\(line): a quoted value is missing its closing \(quote)")
        }
        let trailing = rest.trimmingCharacters(in: .whitespaces)
        guard trailing.isEmpty || trailing.hasPrefix("#") else {
            throw .setup("\(file):\(line): unexpected text after the closing \(quote)", hint: "start a comment with ' #'")
        }
        return inner
    }
}
