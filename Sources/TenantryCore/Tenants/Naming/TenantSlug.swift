/// A tenant's id: a short, validated, lower-case name such as `acme` or `north-wind-2`.
///
/// The slug is exactly what the user typed; nothing is folded or trimmed, so the id in the
/// registry, the CLI and the events is the same string everywhere. The rules are in
/// ``TenantSlug/rules`` (see `TenantSlug+Rules.swift`); database and schema names are derived
/// from it by ``TenantNaming``.
public struct TenantSlug: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The slug as typed (and as stored in `tenantry.tenants.id`).
    public let value: String

    /// Validates `raw` against ``TenantSlug/rules``.
    ///
    /// - Throws: `.usage` (exit 64) saying what is wrong and what is allowed; the input is echoed
    ///   with control characters escaped and shortened when long.
    public init(_ raw: String) throws(TenantryError) {
        try Self.check(raw)
        value = raw
    }

    public var description: String { value }

    /// Decoding validates too, so a registry row or JSON file cannot smuggle in a bad slug.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        do {
            try Self.check(raw)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
        value = raw
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
