/// Line and column arithmetic that agrees with `PgQuery`'s: "\r\n", "\n" and a lone "\r" each end a line,
/// and columns count Unicode scalars (the unit PostgreSQL uses in its error positions).
enum TextPosition {
    /// 1-based line and column of `index` in `text`.
    static func of(_ index: String.Index, in text: String) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars[..<index] {
            if scalar == "\n" {
                // The "\n" of "\r\n" ends no second line: the "\r" already did.
                if previous != "\r" { line += 1 }
                column = 1
            } else if scalar == "\r" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            previous = scalar
        }
        return (line, column)
    }

    /// The index of the 1-based `position`-th Unicode scalar, or the end when it lies past it.
    static func index(ofScalar position: Int, in text: String) -> String.Index {
        let scalars = text.unicodeScalars
        return scalars.index(scalars.startIndex, offsetBy: max(position - 1, 0), limitedBy: scalars.endIndex)
            ?? scalars.endIndex
    }

    /// The line holding `index`, without its line break.
    static func line(at index: String.Index, in text: String) -> Substring {
        let scalars = text.unicodeScalars
        let isBreak: (Unicode.Scalar) -> Bool = { $0 == "\n" || $0 == "\r" }
        let start = scalars[..<index].lastIndex(where: isBreak).map { scalars.index(after: $0) } ?? scalars.startIndex
        let end = scalars[index...].firstIndex(where: isBreak) ?? scalars.endIndex
        return text[start..<end]
    }
}
