extension ParseTree {
    /// The byte range of one statement in the UTF-8 input, as libpg_query
    /// reports it: from the end of the previous statement (so including
    /// leading whitespace and comments) up to, not including, its semicolon.
    public struct Span: Sendable, Equatable {
        /// Offset of the statement's first byte (`stmt_location`).
        public var location: Int
        /// Length in bytes (`stmt_len`).
        public var length: Int

        /// Creates a span from a byte offset and length.
        public init(location: Int, length: Int) {
            self.location = location
            self.length = length
        }

        /// Reads a `{"stmt": ..., "stmt_location": ..., "stmt_len": ...}`
        /// entry. libpg_query omits `stmt_location` when it is 0 and
        /// `stmt_len` when it is 0, which means "to the end of the input";
        /// that is resolved here so `length` is always a real byte count.
        init(rawStatement: JSONValue, inputLength: Int) {
            let location = rawStatement["stmt_location"]?.intValue ?? 0
            let length = rawStatement["stmt_len"]?.intValue ?? 0
            self.init(location: location, length: length == 0 ? inputLength - location : length)
        }
    }
}
