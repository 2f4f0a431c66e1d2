/// Turns tenant slugs into database or schema names from the `tenants.naming` pattern.
///
/// A pattern is literal text (lower-case letters a-z, digits 0-9 and `_`) and placeholders:
/// - `{slug}`: the slug with `-` turned into `_` (`north-wind` → `north_wind`);
/// - `{hash}`: the first 12 hex digits of SHA-256 of the slug (`acme` → `822b33ad87c1`).
///
/// A pattern has at least one placeholder and starts with a letter or `{slug}`, so every name is
/// a plain lower-case identifier of at most ``SQLIdentifier/maxBytes`` bytes; names still reach
/// SQL only as ``SQLIdentifier``.
///
/// Two different slugs never get the same name when the pattern contains `{slug}`: slugs never
/// contain `_`, so turning `-` into `_` loses nothing, and since the literal text is fixed and the
/// hash has a fixed length, the slug can be read back from the name. With `{hash}` alone, two slugs
/// share a name only if their SHA-256 digests share the first 48 bits: about 1 chance in 5.6 million
/// for a fleet of 10,000 tenants, 1 in 56,000 for 100,000. Should it happen, the registry's unique
/// index on the location (`tenantry.tenants_location_key`: server, database, schema of live
/// tenants) refuses the second tenant; a pattern with `{slug}`, such as `x_{slug}_{hash}`, rules it out.
public struct TenantNaming: Sendable, Equatable {
    /// The pattern as configured, e.g. `t_{hash}`.
    public let pattern: String

    /// The longest slug whose name fits in 63 bytes with this pattern (at most ``TenantSlug/maxLength``).
    public let maxSlugLength: Int

    let parsed: NamingPattern

    /// Parses and checks `pattern`.
    ///
    /// - Throws: `.usage` for an empty pattern, an unknown placeholder, literal text other than
    ///   a-z, 0-9 and `_`, a pattern without placeholder (every tenant would get the same name),
    ///   one that does not start with a letter or `{slug}`, one starting with `pg_`, or one whose
    ///   fixed part leaves no room for a slug in 63 bytes.
    public init(pattern: String) throws(TenantryError) {
        let shown = UntrustedText.quoted(pattern)
        guard !pattern.isEmpty else {
            throw .usage("the naming pattern is empty; it needs at least one placeholder, \(NamingPattern.placeholders)",
                         hint: "the default is 't_{hash}'")
        }
        let parsed = try NamingPattern(parsing: pattern)
        guard parsed.hasPlaceholder else {
            throw .usage("the naming pattern \(shown) has no placeholder, so every tenant would get the same name; add {slug} or {hash}",
                         hint: "for example '\(pattern)_{slug}' or '\(pattern)_{hash}'")
        }
        switch parsed.segments.first {
        case .hash:
            throw .usage("the naming pattern \(shown) starts with {hash}, which may start with a digit; a name must start with a letter",
                         hint: "use 't_\(pattern)'")
        case .literal(let text) where !(text.first?.isLetter ?? false):
            throw .usage("the naming pattern \(shown) starts with '\(text.prefix(1))'; a name must start with a letter or {slug}",
                         hint: "use '\(text.hasPrefix("_") ? "t" : "t_")\(pattern)'")
        case .literal(let text) where text.hasPrefix(TenantSlug.reservedNamePrefix):
            throw .usage("the naming pattern \(shown) starts with '\(TenantSlug.reservedNamePrefix)', which PostgreSQL reserves for its own names",
                         hint: "use another prefix, such as 't_' or 'tenant_'")
        default:
            break
        }
        let room = SQLIdentifier.maxBytes - parsed.fixedBytes
        if parsed.slugCount == 0, room < 0 {
            throw .usage("the naming pattern \(shown) gives names of \(parsed.fixedBytes) bytes; names have at most \(SQLIdentifier.maxBytes)",
                         hint: "shorten the literal text")
        }
        // Each {slug} adds one byte per character (slugs are ASCII).
        let longest = parsed.slugCount == 0 ? TenantSlug.maxLength : min(TenantSlug.maxLength, room / parsed.slugCount)
        guard longest >= 1 else {
            throw .usage("the naming pattern \(shown) leaves no room for a slug: its literal text and hashes take \(parsed.fixedBytes) bytes, and names have at most \(SQLIdentifier.maxBytes)",
                         hint: "shorten the literal text")
        }
        self.pattern = pattern
        self.parsed = parsed
        maxSlugLength = longest
    }

    /// The database or schema name for `slug`.
    ///
    /// - Throws: `.usage` when the slug is longer than ``maxSlugLength``, or when the pattern turns
    ///   it into a name PostgreSQL or Tenantry already uses (`{slug}_x` with the slug `pg`).
    public func name(for slug: TenantSlug) throws(TenantryError) -> SQLIdentifier {
        let length = slug.value.count
        guard length <= maxSlugLength else {
            throw .usage("the tenant slug '\(slug)' is \(length) characters long; with the naming pattern \(UntrustedText.quoted(pattern)) a slug has at most \(maxSlugLength), so that names fit in \(SQLIdentifier.maxBytes) bytes",
                         hint: "choose a shorter slug, or a pattern with less fixed text")
        }
        let name = parsed.render(slug)
        if TenantSlug.reservedNames.contains(name) || name.hasPrefix(TenantSlug.reservedNamePrefix) {
            throw .usage("the naming pattern \(UntrustedText.quoted(pattern)) turns the tenant slug '\(slug)' into '\(name)', a name PostgreSQL or Tenantry reserves",
                         hint: "choose another slug")
        }
        return try SQLIdentifier(name)
    }

    /// Throws what ``name(for:)`` would throw for `slug`; use it before registering a tenant.
    public func validate(_ slug: TenantSlug) throws(TenantryError) {
        _ = try name(for: slug)
    }
}
