import Foundation

extension JSONValue {
    /// Decodes JSON text with `JSONSerialization`.
    init(json: String) throws {
        let object = try JSONSerialization.jsonObject(
            with: Data(json.utf8), options: [.fragmentsAllowed])
        self = try JSONValue(foundation: object)
    }

    /// Converts `JSONSerialization` output. Booleans arrive as `NSNumber`s
    /// too, and `as? Bool` also accepts the numbers 0 and 1, so they are
    /// recognised by their class instead.
    private init(foundation object: Any) throws {
        switch object {
        case let dictionary as [String: Any]:
            self = .object(try dictionary.mapValues(JSONValue.init(foundation:)))
        case let array as [Any]:
            self = .array(try array.map(JSONValue.init(foundation:)))
        case let string as String:
            self = .string(string)
        case let number as NSNumber:
            if type(of: number) == type(of: NSNumber(value: true)) {
                self = .bool(number.boolValue)
            } else {
                self = .number(number.doubleValue)
            }
        case is NSNull:
            self = .null
        default:
            throw CocoaError(.coderInvalidValue)
        }
    }
}
