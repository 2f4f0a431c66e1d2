import Foundation

/// One file of a migrations folder as read from disk: the checksum of its exact bytes, and its text split into
/// lines for the format readers.
struct CatalogFile: Sendable {
    /// Path relative to the migrations folder, as shown in messages.
    let name: String
    let checksum: String
    /// The decoded text, without a leading byte-order mark (the checksum still covers it).
    let text: String
    /// Lines of `text` without terminators. They are slices of `text`, so their indices delimit sections.
    let lines: [Substring]

    init(name: String, data: Data) throws(TenantryError) {
        guard var decoded = String(validating: data, as: UTF8.self) else {
            throw .setup("cannot read \(name): it is not valid UTF-8 text", hint: "save \(name) as UTF-8")
        }
        if decoded.first == "\u{FEFF}" { decoded.removeFirst() }
        self.name = name
        checksum = FileChecksum.sha256(data)
        text = decoded
        // "\r\n" is one Character in Swift, so CRLF files count lines the way PostgreSQL does.
        lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    }

    /// The exact text from the start of line `range.lowerBound` to the start of line `range.upperBound`
    /// (0-based; `lines.count` stands for the end of the file).
    func text(lines range: Range<Int>) -> String {
        guard range.lowerBound < lines.count else { return "" }
        let end = range.upperBound < lines.count ? lines[range.upperBound].startIndex : text.endIndex
        return String(text[lines[range.lowerBound].startIndex..<end])
    }

    /// `name:line` for messages, from a 0-based line index.
    func location(_ index: Int) -> String {
        "\(name):\(index + 1)"
    }
}
