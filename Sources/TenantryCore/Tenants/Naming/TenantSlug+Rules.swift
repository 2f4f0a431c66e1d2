// The slug rules, in one place: the constants, the text the README quotes, and the checks.
extension TenantSlug {
    /// The longest slug: short enough that a pattern such as `x_{slug}_{hash}` still fits in 63 bytes.
    public static let maxLength = 40

    /// Names PostgreSQL or Tenantry already use for databases or schemas, as `{slug}` would spell them.
    public static let reservedNames: [String] = ["postgres", "template0", "template1", "public", "tenantry", "information_schema"]

    /// PostgreSQL refuses schema names starting with this, and its catalogs use it.
    public static let reservedNamePrefix = "pg_"

    /// Reserved slugs: ``reservedNames`` plus `master`, which the CLI uses for the master track.
    public static let reservedSlugs: [String] = reservedNames + ["master"]

    /// The rules in one paragraph, for the README and `--help`.
    public static let rules = """
        A tenant slug is 1 to \(maxLength) characters: lower-case ASCII letters a-z, digits 0-9 and \
        hyphens. It starts with a letter, does not end with a hyphen and never has two hyphens in a \
        row. Upper case is refused, not folded: the slug is the tenant's id exactly as typed. \
        Reserved: \(reservedSlugs.joined(separator: ", ")) and anything starting with pg- or pg_ \
        (compared ignoring case and with hyphens read as underscores, the way {slug} spells names).
        """

    static let allowedCharacters = "a slug may contain only lower-case letters a-z, digits 0-9 and hyphens"

    /// Throws the first broken rule, most fundamental first. Upper case is checked last so that its
    /// hint (the lower-case form) is always a valid slug.
    static func check(_ raw: String) throws(TenantryError) {
        let shown = UntrustedText.quoted(raw)
        guard !raw.isEmpty else {
            throw .usage("a tenant slug cannot be empty; use 1 to \(maxLength) lower-case letters, digits and hyphens, starting with a letter")
        }
        let length = raw.count
        guard length <= maxLength else {
            throw .usage("the tenant slug \(shown) is \(length) characters long; a slug has at most \(maxLength)")
        }
        // Before the character check: `pg_x` should hear "reserved", not "use pg-x" and then "reserved".
        let spelled = String(raw.map { $0 == "-" ? "_" : $0.isASCII ? Character($0.lowercased()) : $0 })
        if reservedSlugs.contains(spelled) {
            throw .usage("the tenant slug \(shown) is reserved",
                         hint: "reserved slugs: \(reservedSlugs.joined(separator: ", ")) and anything starting with pg- or pg_; choose another")
        }
        if spelled.hasPrefix(reservedNamePrefix) {
            throw .usage("the tenant slug \(shown) starts with '\(raw.prefix(3))', which PostgreSQL reserves for its own names; a slug may not start with pg- or pg_")
        }
        for (offset, character) in raw.enumerated() where !isAllowed(character) && !isUpperCase(character) {
            throw .usage("the tenant slug \(shown) contains \(UntrustedText.describe(character)) at position \(offset + 1); \(allowedCharacters)",
                         hint: character == "_" ? "use a hyphen instead: names turn hyphens into underscores" : nil)
        }
        if let first = raw.first, !isLowerCase(first), !isUpperCase(first) {
            throw .usage("the tenant slug \(shown) starts with \(UntrustedText.describe(first)); a slug must start with a letter a-z")
        }
        if raw.hasSuffix("-") {
            throw .usage("the tenant slug \(shown) ends with a hyphen; a hyphen must be followed by a letter or digit")
        }
        if raw.contains("--") {
            throw .usage("the tenant slug \(shown) has two hyphens in a row; use single hyphens between letters and digits")
        }
        if raw.contains(where: isUpperCase) {
            throw .usage("the tenant slug \(shown) contains upper-case letters; slugs are lower case",
                         hint: "use '\(raw.lowercased())': Tenantry does not change the case for you, the slug is the id exactly as typed")
        }
    }

    // By ASCII value: a range of Characters would also admit `b` + a combining accent.
    private static func isAllowed(_ character: Character) -> Bool {
        isLowerCase(character) || character == "-" || (character.asciiValue.map { (0x30...0x39).contains($0) } ?? false)
    }

    private static func isLowerCase(_ character: Character) -> Bool {
        character.asciiValue.map { (0x61...0x7A).contains($0) } ?? false
    }

    private static func isUpperCase(_ character: Character) -> Bool {
        character.asciiValue.map { (0x41...0x5A).contains($0) } ?? false
    }
}
