/// A `roles:` pattern: a role name (`{name}_rw`) or the name of a password variable (`RO_PASSWORD_{SLUG}`).
///
/// Placeholders: `{slug}` (the slug, `-` turned into `_`), `{name}` (the tenant's database, or its schema in
/// the schema layout) and, in variable names only, `{SLUG}` (the slug upper-cased, anything but A-Z and 0-9
/// turned into `_`). Role names stay lower case so they never need quoting in `psql -U`.
public struct RolePattern: Sendable, Equatable {
    public enum Kind: Sendable {
        case roleName, variableName
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case slug, upperSlug, name
    }

    public let text: String
    let segments: [Segment]

    /// - Throws: `.usage` for an unclosed `{`, an unknown placeholder, or literal text outside the allowed set.
    public init(_ text: String, kind: Kind) throws(TenantryError) {
        let shown = UntrustedText.quoted(text)
        let placeholders = kind == .roleName ? "{slug} and {name}" : "{slug}, {SLUG} and {name}"
        var segments: [Segment] = []
        var rest = Substring(text)
        while let character = rest.first {
            if character == "{" {
                guard let close = rest.firstIndex(of: "}") else {
                    throw .usage("the pattern \(shown) has '{' without a closing '}'; the placeholders are \(placeholders)")
                }
                switch rest[rest.index(after: rest.startIndex)..<close] {
                case "slug": segments.append(.slug)
                case "name": segments.append(.name)
                case "SLUG" where kind == .variableName: segments.append(.upperSlug)
                case let other:
                    throw .usage("the pattern \(shown) uses the unknown placeholder {\(other)}; the placeholders are \(placeholders)")
                }
                rest = rest[rest.index(after: close)...]
                continue
            }
            guard Self.allowed(character, kind) else {
                let allowed = kind == .roleName ? "lower-case letters a-z, digits 0-9 and '_'" : "letters A-Z, a-z, digits 0-9 and '_'"
                throw .usage("the pattern \(shown) contains \(UntrustedText.describe(character)); literal text may only be \(allowed)")
            }
            if case .literal(let text) = segments.last {
                segments[segments.count - 1] = .literal(text + String(character))
            } else {
                segments.append(.literal(String(character)))
            }
            rest = rest.dropFirst()
        }
        guard !segments.isEmpty else { throw .usage("the pattern is empty") }
        if kind == .roleName, case .literal(let first) = segments[0], first.hasPrefix("pg_") {
            throw .usage("the pattern \(shown) starts with 'pg_', which PostgreSQL reserves for its own roles")
        }
        self.text = text
        self.segments = segments
    }

    public func render(slug: String, name: String) -> String {
        segments.map { segment in
            switch segment {
            case .literal(let text): text
            case .slug: slug.replacingOccurrences(of: "-", with: "_")
            case .upperSlug: String(slug.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
            case .name: name
            }
        }.joined()
    }

    private static func allowed(_ character: Character, _ kind: Kind) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        let lower = (0x61...0x7A).contains(ascii), digit = (0x30...0x39).contains(ascii), upper = (0x41...0x5A).contains(ascii)
        return lower || digit || ascii == 0x5F || (kind == .variableName && upper)
    }
}
