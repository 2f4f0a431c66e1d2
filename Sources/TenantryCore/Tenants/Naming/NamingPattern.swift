import Crypto

/// A parsed `tenants.naming` pattern: literal text and the `{slug}` and `{hash}` placeholders.
struct NamingPattern: Sendable, Equatable {
    enum Segment: Sendable, Equatable {
        /// Lower-case letters, digits and `_` only, so names never need quoting to read the same.
        case literal(String)
        /// The slug with `-` turned into `_`.
        case slug
        /// The first ``NamingPattern/hashLength`` hex digits of SHA-256 of the slug.
        case hash
    }

    static let hashLength = 12
    static let placeholders = "{slug} and {hash}"

    let segments: [Segment]

    var hasPlaceholder: Bool { segments.contains(.slug) || segments.contains(.hash) }

    /// How many times the slug appears in a name.
    var slugCount: Int { segments.count { $0 == .slug } }

    /// Bytes of a name that do not depend on the slug's length.
    var fixedBytes: Int {
        segments.reduce(0) { total, segment in
            switch segment {
            case .literal(let text): total + text.utf8.count
            case .hash: total + Self.hashLength
            case .slug: total
            }
        }
    }

    /// Splits `pattern` into segments; throws on an unclosed `{`, an unknown placeholder or a
    /// literal character that is not a lower-case letter, digit or `_`.
    init(parsing pattern: String) throws(TenantryError) {
        let shown = UntrustedText.quoted(pattern)
        var segments: [Segment] = []
        var literal = ""
        var rest = Substring(pattern)
        var position = 1
        while let character = rest.first {
            if character == "{" {
                guard let close = rest.firstIndex(of: "}") else {
                    throw .usage("the naming pattern \(shown) has '{' at position \(position) without a closing '}'; the placeholders are \(Self.placeholders)")
                }
                let name = rest[rest.index(after: rest.startIndex)..<close]
                let placeholder: Segment
                switch name {
                case "slug": placeholder = .slug
                case "hash": placeholder = .hash
                default:
                    let lower = name.lowercased()
                    throw .usage("the naming pattern \(shown) uses the unknown placeholder \(UntrustedText.quoted("{\(name)}")); the placeholders are \(Self.placeholders)",
                                 hint: lower == "slug" || lower == "hash" ? "placeholders are lower case: {\(lower)}" : nil)
                }
                if !literal.isEmpty { segments.append(.literal(literal)) }
                literal = ""
                segments.append(placeholder)
                position += name.count + 2
                rest = rest[rest.index(after: close)...]
                continue
            }
            guard Self.isLiteral(character) else {
                throw .usage("the naming pattern \(shown) contains \(UntrustedText.describe(character)) at position \(position); literal text may only be lower-case letters a-z, digits 0-9 and '_'",
                             hint: Self.hint(for: character))
            }
            literal.append(character)
            position += 1
            rest = rest.dropFirst()
        }
        if !literal.isEmpty { segments.append(.literal(literal)) }
        self.segments = segments
    }

    /// The name for `slug`, before the length and reserved-name checks.
    func render(_ slug: TenantSlug) -> String {
        var name = ""
        for segment in segments {
            switch segment {
            case .literal(let text): name += text
            case .slug: name += slug.value.replacingOccurrences(of: "-", with: "_")
            case .hash: name += Self.hash(of: slug)
            }
        }
        return name
    }

    static func hash(of slug: TenantSlug) -> String {
        let digits = Array("0123456789abcdef")
        var hex = ""
        for byte in SHA256.hash(data: Array(slug.value.utf8)).prefix(hashLength / 2) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return hex
    }

    private static func isLiteral(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return (0x61...0x7A).contains(ascii) || (0x30...0x39).contains(ascii) || character == "_"
    }

    private static func hint(for character: Character) -> String? {
        switch character {
        case "-": "use '_': hyphens would need quoting in every SQL statement"
        case "}": "'}' closes a placeholder, and there is no '{' before it"
        case "A"..."Z" where character.isASCII: "use '\(character.lowercased())': unquoted names are lower case in PostgreSQL"
        default: nil
        }
    }
}
