import PgQuery

// Where a statement names the source schema, from the lexer's tokens and the statement's parse tree.
extension SchemaTenancy {
    /// Statement kinds whose bare schema names (`ON SCHEMA public`, `IN SCHEMA public`) name the tenant's schema.
    static let schemaNamingKinds: Set<String> = ["CreateSchemaStmt", "GrantStmt", "AlterDefaultPrivilegesStmt", "CommentStmt",
                                                 "AlterOwnerStmt"]

    /// `sql` with every name qualified by one of `schemas` qualified by `schema` instead, in its dollar-quoted bodies
    /// too: a template schema's function, copied into a tenant's schema, then names the tenant's objects.
    public static func requalify(_ sql: String, from schemas: [SQLIdentifier], to schema: SQLIdentifier) -> String {
        schemas.reduce(sql) { sql, source in
            SchemaTenancy(sourceSchema: source, extensionsSchema: .public, trackObjects: [], rewritesEveryName: true)
                .adapt(sql, kind: "CreateFunctionStmt", to: schema)
        }
    }

    func edits(_ sql: String, kind: String) -> [Edit] {
        guard let tokens = try? PgQuery.scan(sql) else { return [] }
        if kind == "CreateExtensionStmt", let edit = extensionEdit(sql) { return [edit] }
        if kind == "DropStmt", let edit = dropExtensionEdit(sql) { return [edit] }
        let bytes = Array(sql.utf8)
        var edits = qualifiedReferences(tokens, in: bytes, offset: 0)
        if Self.schemaNamingKinds.contains(kind) && namesSchema(sql, kind: kind) {
            edits += bareReferences(tokens, in: bytes, strings: false, replacement: .tenantSchema) { index in
                followsSchemaKeyword(index, tokens, in: bytes)
            }
        } else if kind == "VariableSetStmt" && setsSearchPath(sql) {
            edits += bareReferences(tokens, in: bytes, strings: true, replacement: .searchPath)
        }
        if kind == "CreateFunctionStmt" || kind == "DoStmt" {
            for token in tokens where token.kind == ScanToken.string {
                edits += bodyReferences(token, in: bytes)
            }
        }
        return edits
    }

    /// `source.name` where `name` is one of the track's objects: the source schema's token.
    private func qualifiedReferences(_ tokens: [ScanToken], in bytes: [UInt8], offset: Int) -> [Edit] {
        var edits: [Edit] = []
        for index in tokens.indices.dropLast(2) where tokens[index].isName && tokens[index + 1].kind == Int(UInt8(ascii: ".")) {
            let object = tokens[index + 2]
            guard object.isName, isSource(tokens[index], in: bytes), index == 0 || tokens[index - 1].kind != Int(UInt8(ascii: ".")),
                  rewritesEveryName || trackObjects.contains(Self.name(text(object, in: bytes))) else { continue }
            edits.append(Edit(range: (tokens[index].start + offset)..<(tokens[index].end + offset), replacement: .tenantSchema))
        }
        return edits
    }

    /// The source schema named alone (not followed by a dot), as an identifier or, for `SET`, a string.
    private func bareReferences(_ tokens: [ScanToken], in bytes: [UInt8], strings: Bool, replacement: Edit.Replacement,
                                where accepts: (Int) -> Bool = { _ in true }) -> [Edit] {
        tokens.indices.compactMap { index in
            let token = tokens[index]
            guard accepts(index) else { return nil }
            let followedByDot = index + 1 < tokens.count && tokens[index + 1].kind == Int(UInt8(ascii: "."))
            let afterDot = index > 0 && tokens[index - 1].kind == Int(UInt8(ascii: "."))
            guard !followedByDot, !afterDot else { return nil }
            if token.isName && isSource(token, in: bytes) { return Edit(range: token.start..<token.end, replacement: replacement) }
            if strings, token.kind == ScanToken.string, text(token, in: bytes) == "'\(sourceSchema.name)'" {
                return Edit(range: token.start..<token.end, replacement: replacement)
            }
            return nil
        }
    }

    /// Whether the name at `index` is in the list after `SCHEMA`/`SCHEMAS` (`ON SCHEMA a, public`, `IN SCHEMA public`,
    /// `CREATE SCHEMA IF NOT EXISTS public`), not a grantee such as `TO PUBLIC`.
    private func followsSchemaKeyword(_ index: Int, _ tokens: [ScanToken], in bytes: [UInt8]) -> Bool {
        var before = index - 1
        while before >= 1, tokens[before].kind == Int(UInt8(ascii: ",")), tokens[before - 1].isName { before -= 2 }
        guard before >= 0 else { return false }
        return ["schema", "schemas", "exists"].contains(text(tokens[before], in: bytes).lowercased())
    }

    /// A dollar-quoted body: its qualified references, by the same rule.
    private func bodyReferences(_ token: ScanToken, in bytes: [UInt8]) -> [Edit] {
        guard let body = DollarQuotedBody(token, in: bytes) else { return [] }
        return qualifiedReferences(body.tokens, in: body.bytes, offset: body.offset)
    }

    private func isSource(_ token: ScanToken, in bytes: [UInt8]) -> Bool {
        token.isName && Self.name(text(token, in: bytes)) == sourceSchema.name
    }

    private func text(_ token: ScanToken, in bytes: [UInt8]) -> Substring {
        Substring(String(decoding: bytes[token.start..<token.end], as: UTF8.self))
    }

    /// Whether a grant, comment or owner change is about a schema (or everything in one).
    private func namesSchema(_ sql: String, kind: String) -> Bool {
        guard let node = try? PgQuery.parse(sql).statements.first?[kind] else { return false }
        switch kind {
        case "CreateSchemaStmt":
            return node["schemaname"]?.stringValue == sourceSchema.name
        case "GrantStmt":
            return node["objtype"]?.stringValue == "OBJECT_SCHEMA" || node["targtype"]?.stringValue == "ACL_TARGET_ALL_IN_SCHEMA"
        case "AlterDefaultPrivilegesStmt":
            return true
        default:
            return node["objectType"]?.stringValue == "OBJECT_SCHEMA" || node["objtype"]?.stringValue == "OBJECT_SCHEMA"
        }
    }

    private func setsSearchPath(_ sql: String) -> Bool {
        (try? PgQuery.parse(sql).statements.first?["VariableSetStmt"]?["name"]?.stringValue) == "search_path"
    }

    /// A `DROP EXTENSION` (a down section's) keeps the shared extensions: every tenant of the database uses them,
    /// and a CASCADE would take their columns too. It says so instead.
    private func dropExtensionEdit(_ sql: String) -> Edit? {
        guard let node = try? PgQuery.parse(sql).statements.first?["DropStmt"], node["removeType"]?.stringValue == "OBJECT_EXTENSION" else {
            return nil
        }
        let names = (node["objects"]?.arrayValue ?? []).compactMap { $0["String"]?["sval"]?.stringValue }.joined(separator: ", ")
        let notice = "tenantry: extension \(names) is shared by every tenant of this database (schema \(extensionsSchema.name)) and stays"
        return Edit(range: 0..<sql.utf8.count,
                    replacement: .text("DO $tenantry_extension$ BEGIN RAISE NOTICE '%', \(SQLLiteral.escaped(notice, dollarSafe: true)); END $tenantry_extension$"))
    }

    /// A `CREATE EXTENSION` becomes `ensureExtension` in the extensions' schema (a `SCHEMA` option is overruled:
    /// an extension inside one tenant's schema would go with that tenant).
    private func extensionEdit(_ sql: String) -> Edit? {
        guard let node = try? PgQuery.parse(sql).statements.first?["CreateExtensionStmt"],
              let name = node["extname"]?.stringValue, let identifier = try? SQLIdentifier(name) else { return nil }
        let version = node.option("new_version")?["arg"]?["String"]?["sval"]?.stringValue
        let cascade = node.option("cascade")?.definedBoolean ?? false
        return Edit(range: 0..<sql.utf8.count,
                    replacement: .text(Self.ensureExtension(identifier, schema: extensionsSchema, version: version, cascade: cascade)))
    }
}
