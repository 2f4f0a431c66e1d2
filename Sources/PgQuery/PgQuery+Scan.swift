import CPgQuery

/// One token of PostgreSQL's lexer, from ``PgQuery/scan(_:)``.
public struct ScanToken: Sendable, Equatable {
    /// Byte range in the UTF-8 input.
    public var start: Int
    public var end: Int
    /// libpg_query's token number: an ASCII character's own code (`.` is 46), or one of the named kinds.
    public var kind: Int
    /// Non-zero for a keyword (1 unreserved … 4 reserved).
    public var keywordKind: Int

    public init(start: Int, end: Int, kind: Int, keywordKind: Int) {
        self.start = start
        self.end = end
        self.kind = kind
        self.keywordKind = keywordKind
    }

    /// An identifier, quoted or not (`IDENT`).
    public static let identifier = 258
    /// A string constant, dollar-quoted ones included (`SCONST`).
    public static let string = 261
    public static let lineComment = 275
    public static let blockComment = 276

    /// A name: an identifier or any keyword (after a dot every keyword is a name).
    public var isName: Bool { kind == Self.identifier || keywordKind != 0 }
}

extension PgQuery {
    /// PostgreSQL's lexer over `sql`: every token with its byte range, comments included. It knows string
    /// literals, dollar quotes, quoted identifiers and comments, so what looks like a name inside them never
    /// comes out as one.
    ///
    /// - Throws: ``PgQueryError`` when the text does not lex (an unterminated quote).
    public static func scan(_ sql: String) throws(PgQueryError) -> [ScanToken] {
        let source = SourceText(sql)
        let result = try withCString(source) { pg_query_scan($0) }
        defer { pg_query_free_scan_result(result) }
        try check(result.error, in: source)
        guard let data = result.pbuf.data else { return [] }
        let bytes = UnsafeRawBufferPointer(start: data, count: Int(result.pbuf.len))
        var decoder = ScanResultDecoder(bytes)
        return try decoder.tokens()
    }
}

/// Reads libpg_query's `ScanResult` protobuf (`version = 1`, `repeated ScanToken tokens = 2`; a token is
/// `start = 1`, `end = 2`, `token = 4`, `keyword_kind = 5`), the only message this wrapper decodes.
private struct ScanResultDecoder {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func tokens() throws(PgQueryError) -> [ScanToken] {
        var tokens: [ScanToken] = []
        while offset < bytes.count {
            let (field, wireType) = try key()
            if field == 2 && wireType == 2 {
                let length = try varint()
                tokens.append(try token(until: offset + length))
            } else {
                try skip(wireType)
            }
        }
        return tokens
    }

    private mutating func token(until end: Int) throws(PgQueryError) -> ScanToken {
        var token = ScanToken(start: 0, end: 0, kind: 0, keywordKind: 0)
        while offset < end {
            let (field, wireType) = try key()
            guard wireType == 0 else { try skip(wireType); continue }
            let value = try varint()
            switch field {
            case 1: token.start = value
            case 2: token.end = value
            case 4: token.kind = value
            case 5: token.keywordKind = value
            default: break
            }
        }
        return token
    }

    private mutating func key() throws(PgQueryError) -> (field: Int, wireType: Int) {
        let key = try varint()
        return (key >> 3, key & 7)
    }

    private mutating func varint() throws(PgQueryError) -> Int {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 64 {
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return Int(truncatingIfNeeded: value) }
            shift += 7
        }
        throw PgQueryError(message: "libpg_query returned an unreadable scan result")
    }

    private mutating func skip(_ wireType: Int) throws(PgQueryError) {
        switch wireType {
        case 0: _ = try varint()
        case 1: offset += 8
        case 2: offset += try varint()
        case 5: offset += 4
        default: throw PgQueryError(message: "libpg_query returned an unreadable scan result")
        }
    }
}
