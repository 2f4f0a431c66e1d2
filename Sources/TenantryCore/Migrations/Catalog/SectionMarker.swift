/// A `-- migrate:up` or `-- migrate:down` line of a native (dbmate) file, with dbmate's options after it
/// (`-- migrate:up transaction:false`).
struct SectionMarker: Sendable {
    enum Direction: String, Sendable {
        case up, down
    }

    var direction: Direction
    /// 0-based index of the marker line.
    var line: Int
    /// False for `transaction:false`, dbmate's spelling of `-- tenantry:no-transaction`.
    var transactional = true

    /// The marker on line `index` of `file`, or nil when that line is not one. Like dbmate, the marker starts
    /// the line and is followed by the end of the line or by whitespace and options.
    static func parse(_ file: CatalogFile, line index: Int) throws(TenantryError) -> SectionMarker? {
        let line = file.lines[index]
        guard line.hasPrefix("--") else { return nil }
        let body = line.dropFirst(2).drop(while: \.isWhitespace)
        for direction in [Direction.up, .down] {
            let keyword = "migrate:\(direction.rawValue)"
            guard body.hasPrefix(keyword) else { continue }
            let options = body.dropFirst(keyword.count)
            guard options.isEmpty || options.first!.isWhitespace else { return nil }
            var marker = SectionMarker(direction: direction, line: index)
            for option in options.split(whereSeparator: \.isWhitespace) {
                switch option {
                case "transaction:false": marker.transactional = false
                case "transaction:true": marker.transactional = true
                default:
                    throw .setup("\(file.location(index)): unknown option '\(option)' on -- \(keyword)",
                                 hint: "the only option is transaction:false (or write -- tenantry:no-transaction)")
                }
            }
            return marker
        }
        return nil
    }
}
