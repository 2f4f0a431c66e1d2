extension SourceText {
    /// Narrows a statement range reported by libpg_query to its tokens:
    /// skips leading whitespace and comments, and drops trailing whitespace.
    ///
    /// Only trivia can precede a statement's first token, so this needs to
    /// understand comments but never string literals. Trailing comments are
    /// left alone: telling them apart from a `--` inside a literal would need
    /// a full lexer.
    func trimmingTrivia(_ range: Range<Int>) -> Range<Int> {
        var start = range.lowerBound
        let end = range.upperBound
        while start < end {
            if Self.isWhitespace(bytes[start]) {
                start += 1
            } else if hasPrefix("--", at: start, before: end) {
                start = endOfLineComment(from: start, before: end)
            } else if hasPrefix("/*", at: start, before: end) {
                start = endOfBlockComment(from: start, before: end)
            } else {
                break
            }
        }
        var trimmedEnd = end
        while trimmedEnd > start, Self.isWhitespace(bytes[trimmedEnd - 1]) {
            trimmedEnd -= 1
        }
        return start..<trimmedEnd
    }

    /// PostgreSQL's `space` class in scan.l.
    private static func isWhitespace(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0C: true
        default: false
        }
    }

    private func hasPrefix(_ prefix: StaticString, at offset: Int, before end: Int) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard offset + count <= end else { return false }
        return (0..<count).allSatisfy { bytes[offset + $0] == prefix.utf8Start[$0] }
    }

    /// Offset just past a `--` comment's line break (scan.l ends them at
    /// either "\n" or "\r").
    private func endOfLineComment(from offset: Int, before end: Int) -> Int {
        var index = offset + 2
        while index < end, bytes[index] != 0x0A, bytes[index] != 0x0D { index += 1 }
        return min(index + 1, end)
    }

    /// Offset just past a `/* */` comment; PostgreSQL lets these nest.
    private func endOfBlockComment(from offset: Int, before end: Int) -> Int {
        var depth = 0
        var index = offset
        while index < end {
            if hasPrefix("/*", at: index, before: end) {
                depth += 1
                index += 2
            } else if hasPrefix("*/", at: index, before: end) {
                depth -= 1
                index += 2
                if depth == 0 { return index }
            } else {
                index += 1
            }
        }
        return end
    }
}
