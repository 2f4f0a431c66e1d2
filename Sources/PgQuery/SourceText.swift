/// The UTF-8 bytes of a SQL input, used to translate libpg_query's byte
/// offsets and scalar positions into strings and line/column pairs.
struct SourceText: Sendable {
    let string: String
    let bytes: [UInt8]
    /// Byte offset at which each line starts, ascending; `lineStarts[0] == 0`.
    private let lineStarts: [Int]

    init(_ string: String) {
        self.string = string
        self.bytes = Array(string.utf8)
        var starts = [0]
        for (index, byte) in bytes.enumerated() {
            // "\r\n" is one break: only its "\n" starts the next line.
            let isBreak = byte == UInt8(ascii: "\n")
                || (byte == UInt8(ascii: "\r") && bytes[safe: index + 1] != UInt8(ascii: "\n"))
            if isBreak { starts.append(index + 1) }
        }
        self.lineStarts = starts
    }

    /// The text of `bytes[range]`; libpg_query only reports token boundaries,
    /// so the range never splits a multi-byte character.
    func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    /// 1-based line and column (in Unicode scalars) of a byte offset.
    func lineAndColumn(atByte offset: Int) -> (line: Int, column: Int) {
        let offset = min(max(offset, 0), bytes.count)
        // Binary search for the last line starting at or before `offset`.
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return (low + 1, scalarCount(from: lineStarts[low], before: offset) + 1)
    }

    /// Number of Unicode scalars in `bytes[start..<offset]`.
    func scalarCount(from start: Int = 0, before offset: Int) -> Int {
        bytes[start..<offset].count(where: Self.startsScalar)
    }

    /// Byte offset of the 1-based `position`-th Unicode scalar, or the end of
    /// the input when the position lies past it (as for "at end of input").
    func byteOffset(ofScalar position: Int) -> Int {
        var seen = 0
        for (index, byte) in bytes.enumerated() where Self.startsScalar(byte) {
            seen += 1
            if seen == position { return index }
        }
        return bytes.count
    }

    /// Whether a byte begins a scalar, i.e. is not a UTF-8 continuation byte.
    private static func startsScalar(_ byte: UInt8) -> Bool {
        byte & 0xC0 != 0x80
    }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
