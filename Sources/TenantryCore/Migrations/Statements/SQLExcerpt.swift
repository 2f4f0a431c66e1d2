/// Short quotations of SQL for messages: one line, at most 80 characters.
enum SQLExcerpt {
    static let maximumLength = 80

    /// The whole line of `text` holding `index`.
    static func line(at index: String.Index, in text: String) -> String {
        shorten(TextPosition.line(at: index, in: text))
    }

    /// The rest of the line from `index` (a statement's first token) on.
    static func rest(from index: String.Index, in text: String) -> String {
        let line = TextPosition.line(at: index, in: text)
        return shorten(text[index..<line.endIndex])
    }

    /// A statement's first line, with " ..." when more follows.
    static func statement(_ sql: String) -> String {
        let first = sql.unicodeScalars.firstIndex { $0 == "\n" || $0 == "\r" }.map { sql[..<$0] } ?? sql[...]
        let line = shorten(first)
        return first.endIndex < sql.endIndex && !line.hasSuffix("...") ? line + " ..." : line
    }

    private static func shorten(_ line: Substring) -> String {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
        let text = String(trimmed)
        return text.count > maximumLength ? text.prefix(maximumLength - 3) + "..." : text
    }
}
