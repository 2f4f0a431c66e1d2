/// Left-aligned columns for human output (`tenant list`, summaries).
enum TextTable {
    /// Cells are data: control characters in them are shown escaped (see `TerminalText`).
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows.map { $0.map { TerminalText.safe($0) } }
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
