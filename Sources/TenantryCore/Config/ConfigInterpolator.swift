/// Expands `${...}` in every value of the selected settings, naming the key and line on failure.
struct ConfigInterpolator {
    let file: String
    let interpolation: Interpolation

    func expand(_ node: ConfigNode, path: String = "") throws(TenantryError) -> ConfigNode {
        switch node {
        case .null: return node
        case .scalar(let text, let line):
            do {
                return .scalar(try interpolation.expand(text), line: line)
            } catch {
                switch error {
                case .required(let variable, let message):
                    throw .setup("\(file):\(line): \(path) needs \(variable): \(message)",
                                 hint: "set \(variable) in the environment or in .env")
                case .malformed(let problem):
                    throw .setup("\(file):\(line): \(path): \(problem)", hint: "write $$ for a literal $")
                }
            }
        case .sequence(let items, let line):
            var expanded: [ConfigNode] = []
            for item in items { expanded.append(try expand(item, path: path)) }
            return .sequence(expanded, line: line)
        case .mapping(let entries, let line):
            var expanded: [ConfigNode.Entry] = []
            for entry in entries {
                let childPath = path.isEmpty ? entry.key : "\(path).\(entry.key)"
                expanded.append(.init(key: entry.key, line: entry.line, value: try expand(entry.value, path: childPath)))
            }
            return .mapping(expanded, line: line)
        }
    }
}
