/// A migration's version: the digits at the start of its file name (`20251103170000`, `0003`, Flyway's `1.2`
/// becomes `1.2`). Ordered numerically, part by part, so `2` < `10` and `1.2` < `1.10`, whatever the padding.
///
/// A Flyway repeatable (`R__name.sql`) has no number: its version is `R__name`, after every numbered version, and
/// repeatables are ordered among themselves as Flyway orders them (by description: underscores read as spaces).
public struct MigrationVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// As written in the file name (padding kept), and as stored in history.
    public let text: String
    /// Numeric parts without leading zeros, compared by length then digits (no overflow on long timestamps).
    private let parts: [String]
    /// A repeatable migration's name; nil for a numbered version.
    public let repeatable: String?

    static let repeatablePrefix = "R__"

    public init(repeatable name: String) {
        self.init(text: Self.repeatablePrefix + name, parts: [], repeatable: name)
    }

    public init?(_ text: String) {
        if text.hasPrefix(Self.repeatablePrefix) {
            guard text.count > Self.repeatablePrefix.count else { return nil }
            self.init(repeatable: String(text.dropFirst(Self.repeatablePrefix.count)))
            return
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard !text.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else { return nil }
        self.init(text: text, parts: parts.map { part in
            let trimmed = part.drop { $0 == "0" }
            return trimmed.isEmpty ? "0" : String(trimmed)
        })
    }

    private init(text: String, parts: [String], repeatable: String? = nil) {
        self.text = text
        self.parts = parts
        self.repeatable = repeatable
    }

    public var description: String { text }

    /// Two spellings of one number (`001` and `1`) are the same version: duplicates in a catalog.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.parts == rhs.parts && lhs.repeatable == rhs.repeatable }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(parts)
        hasher.combine(repeatable)
    }

    public var isRepeatable: Bool { repeatable != nil }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        if lhs.repeatable != nil || rhs.repeatable != nil {
            guard let left = lhs.repeatable else { return true }
            guard let right = rhs.repeatable else { return false }
            // Flyway orders repeatables by description: the name with its underscores as spaces.
            return left.replacingOccurrences(of: "_", with: " ") < right.replacingOccurrences(of: "_", with: " ")
        }
        for (left, right) in zip(lhs.parts, rhs.parts) where left != right {
            return left.count != right.count ? left.count < right.count : left < right
        }
        return lhs.parts.count < rhs.parts.count
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
