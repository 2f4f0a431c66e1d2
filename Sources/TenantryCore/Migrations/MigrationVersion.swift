/// A migration's version: the digits at the start of its file name (`20251103170000`, `0003`, Flyway's `1.2`
/// becomes `1.2`). Ordered numerically, part by part, so `2` < `10` and `1.2` < `1.10`, whatever the padding.
public struct MigrationVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// As written in the file name (padding kept), and as stored in history.
    public let text: String
    /// Numeric parts without leading zeros, compared by length then digits (no overflow on long timestamps).
    private let parts: [String]

    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard !text.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else { return nil }
        self.text = text
        self.parts = parts.map { part in
            let trimmed = part.drop { $0 == "0" }
            return trimmed.isEmpty ? "0" : String(trimmed)
        }
    }

    public var description: String { text }

    /// Two spellings of one number (`001` and `1`) are the same version: duplicates in a catalog.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.parts == rhs.parts }
    public func hash(into hasher: inout Hasher) { hasher.combine(parts) }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        for (left, right) in zip(lhs.parts, rhs.parts) where left != right {
            return left.count != right.count ? left.count < right.count : left < right
        }
        return lhs.parts.count < rhs.parts.count
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
