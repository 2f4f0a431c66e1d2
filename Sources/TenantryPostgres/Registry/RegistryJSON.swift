import Foundation
import TenantryCore

/// `[String: String]` ⇄ the JSON text bound to jsonb columns (`$n::jsonb`), so values are never spliced into SQL.
enum RegistryJSON {
    static func encode(_ object: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(object), as: UTF8.self)
    }

    /// Reads a JSON object; values that are not strings (a hand-edited row) are kept as their JSON text.
    static func decode(_ text: String, column: String) throws -> [String: String] {
        let data = Data(text.utf8)
        if let strings = try? JSONDecoder().decode([String: String].self, from: data) { return strings }
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [String: Any] else {
            throw TenantryError.setup("the registry column \(column) holds JSON that is not an object: \(text.prefix(80))",
                                      hint: "fix that row by hand; Tenantry writes a JSON object of strings there")
        }
        var result: [String: String] = [:]
        for (key, value) in object {
            if let string = value as? String {
                result[key] = string
            } else if let fragment = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]) {
                result[key] = String(decoding: fragment, as: UTF8.self)
            }
        }
        return result
    }
}
