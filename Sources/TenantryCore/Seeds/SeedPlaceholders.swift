/// `${tenant.id}`, `${tenant.name}`, `${tenant.tier}`, `${tenant.schema}` and `${tenant.database}` in tenant
/// seeds, replaced by SQL literals of the tenant's values.
///
/// Each placeholder becomes a complete, quoted literal (`'O''Brien'`), so write it bare:
/// `VALUES (${tenant.name})`, never `'${tenant.name}'` (refused when a quote touches it). A missing value
/// (`tier`, or `schema` for a database-per-tenant tenant) becomes the keyword `NULL`.
///
/// Substitution is textual and happens everywhere in the file, comments and dollar-quoted bodies included:
/// the value is a literal wherever it lands, so it can never end a comment or a string early, and a
/// placeholder in a `DO $$ … $$` body works as it does outside. A placeholder inside a single-quoted string
/// (`'hello ${tenant.id}'`) is not supported; concatenate instead (`'hello ' || ${tenant.id}`).
///
/// Master seeds are not substituted: `${...}` there is left as written.
public enum SeedPlaceholders {
    /// The placeholder names, in the order they are documented.
    public static let names = ["id", "name", "tier", "schema", "database"]

    /// `sql` with every `${tenant.…}` replaced.
    ///
    /// - Throws: `.failed` naming `file` and the line for an unknown `${tenant.xyz}`, an unclosed `${tenant.`,
    ///   a placeholder wrapped in quotes, or a value containing a NUL character (PostgreSQL text cannot hold one).
    public static func substitute(_ sql: String, file: String, tenant: Tenant) throws(TenantryError) -> String {
        let opener = "${tenant."
        var result = ""
        var rest = sql[...]
        while let start = rest.range(of: opener) {
            result += rest[..<start.lowerBound]
            let line = TextPosition.of(start.lowerBound, in: sql).line
            guard let close = rest[start.upperBound...].firstIndex(of: "}") else {
                throw .failed("\(file):\(line): `\(opener)` is not closed by `}`",
                              hint: "placeholders are \(names.map { "${tenant.\($0)}" }.joined(separator: ", "))")
            }
            let key = String(rest[start.upperBound..<close])
            let placeholder = "\(opener)\(key)}"
            guard let value = try value(key, of: tenant, placeholder: placeholder, file: file, line: line) else {
                throw .failed("\(file):\(line): unknown placeholder \(placeholder)",
                              hint: "placeholders are \(names.map { "${tenant.\($0)}" }.joined(separator: ", "))")
            }
            let after = rest.index(after: close)
            if result.last == "'" || rest[after...].first == "'" {
                throw .failed("\(file):\(line): \(placeholder) is inside quotes; it is replaced by a quoted literal already",
                              hint: "write \(placeholder) without quotes around it; to build text, use '...' || \(placeholder)")
            }
            result += value
            rest = rest[after...]
        }
        result += rest
        return result
    }

    /// The literal for `key`, or nil when there is no such placeholder.
    private static func value(
        _ key: String, of tenant: Tenant, placeholder: String, file: String, line: Int
    ) throws(TenantryError) -> String? {
        let raw: String?
        switch key {
        case "id": raw = tenant.id
        case "name": raw = tenant.displayName
        case "tier": raw = tenant.tier
        case "schema": raw = tenant.schemaName
        case "database": raw = tenant.databaseName
        default: return nil
        }
        guard let raw else { return "NULL" }
        guard !raw.unicodeScalars.contains("\0") else {
            throw .failed("\(file):\(line): the value of \(placeholder) for tenant \(tenant.id) contains a NUL character",
                          hint: "PostgreSQL text cannot hold NUL; fix the tenant's value in the registry")
        }
        return literal(raw)
    }

    /// A string literal that reads back as `value` whatever `standard_conforming_strings` is: `'…'` with `'`
    /// doubled, or, when a backslash or control character is present, `E'…'` with those escaped too (which
    /// also keeps the seed's line numbers unchanged for values holding line breaks).
    public static func literal(_ value: String) -> String {
        let needsEscapes = value.unicodeScalars.contains { $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F }
        guard needsEscapes else { return "'" + value.replacingOccurrences(of: "'", with: "''") + "'" }
        return SQLLiteral.escaped(value)
    }
}
