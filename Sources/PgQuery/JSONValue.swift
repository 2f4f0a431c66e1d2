/// A decoded JSON document, as produced by libpg_query's parse tree output.
///
/// libpg_query tags every node as a single-key object, e.g.
/// `{"IndexStmt": {...}}` (see ``nodeName``), and omits fields holding their
/// default value: a missing `concurrent` means `false`, a missing `location`
/// means 0. Numbers are `Double`s; the parse tree stores integers of up to 32
/// bits as numbers (larger ones arrive as strings), so none lose precision.
public indirect enum JSONValue: Sendable, Equatable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    /// The member named `key`, or `nil` if absent or this is not an object.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// The element at `index`, or `nil` if out of range or not an array.
    public subscript(index: Int) -> JSONValue? {
        guard let array = arrayValue, array.indices.contains(index) else { return nil }
        return array[index]
    }

    /// The key of a single-key object, which is how libpg_query names a node
    /// (e.g. `"IndexStmt"`); `nil` for anything else.
    public var nodeName: String? {
        guard let object = objectValue, object.count == 1 else { return nil }
        return object.keys.first
    }

    /// The members of an object.
    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { value } else { nil }
    }

    /// The elements of an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { value } else { nil }
    }

    /// The value of a string.
    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// The value of a number.
    public var doubleValue: Double? {
        if case .number(let value) = self { value } else { nil }
    }

    /// The value of a number that is a whole number representable as `Int`.
    public var intValue: Int? {
        doubleValue.flatMap { Int(exactly: $0) }
    }

    /// The value of a boolean.
    public var boolValue: Bool? {
        if case .bool(let value) = self { value } else { nil }
    }

    /// Whether this is JSON `null`.
    public var isNull: Bool {
        self == .null
    }
}
