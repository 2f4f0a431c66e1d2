import Yams

/// A YAML tree that remembers the line of every key and value, so config errors can point at the file.
public indirect enum ConfigNode: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var line: Int
        public var value: ConfigNode
    }

    case scalar(String, line: Int)
    case mapping([Entry], line: Int)
    case sequence([ConfigNode], line: Int)
    case null(line: Int)

    public var line: Int {
        switch self {
        case .scalar(_, let line), .mapping(_, let line), .sequence(_, let line), .null(let line): line
        }
    }

    /// Parses YAML text; a syntax error names the file and line.
    public static func parse(yaml: String, file: String) throws(TenantryError) -> ConfigNode {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
            // Yams' own description quotes the whole file, which may hold secrets.
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            throw .setup("\(file):\(context.mark.line): key \(keys) appears twice", hint: "remove one of them")
        } catch let error as YamlError {
            throw .setup("\(file) is not valid YAML: \(Self.describe(error))", hint: "fix the YAML syntax at the line shown")
        } catch {
            throw .setup("\(file) is not valid YAML: \(error)")
        }
        guard let root else { return .mapping([], line: 1) }
        return try convert(root, file: file)
    }

    private static func convert(_ node: Node, file: String) throws(TenantryError) -> ConfigNode {
        let line = node.mark?.line ?? 0
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
                return .null(line: line)
            }
            return .scalar(scalar.string, line: line)
        case .mapping(let mapping):
            var entries: [Entry] = []
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw .setup("\(file):\(key.mark?.line ?? line): keys must be plain names")
                }
                if entries.contains(where: { $0.key == keyScalar.string }) {
                    throw .setup("\(file):\(key.mark?.line ?? line): key '\(keyScalar.string)' appears twice")
                }
                entries.append(Entry(key: keyScalar.string, line: key.mark?.line ?? line, value: try convert(value, file: file)))
            }
            return .mapping(entries, line: line)
        case .sequence(let sequence):
            var items: [ConfigNode] = []
            for item in sequence { items.append(try convert(item, file: file)) }
            return .sequence(items, line: line)
        case .alias:
            throw .setup("\(file):\(line): YAML aliases are not supported in tenantry.yml")
        }
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let where_ = context.map { "\($0.text) " } ?? ""
            return "\(where_)\(problem) at line \(mark.line), column \(mark.column)"
        default:
            return "\(error)"
        }
    }
}

extension ConfigNode {
    /// Overlays `other` on `self`: mappings merge key by key, anything else is replaced.
    public func merging(_ other: ConfigNode) -> ConfigNode {
        guard case .mapping(var entries, let line) = self, case .mapping(let overrides, _) = other else {
            return other
        }
        for override in overrides {
            if let index = entries.firstIndex(where: { $0.key == override.key }) {
                entries[index].value = entries[index].value.merging(override.value)
            } else {
                entries.append(override)
            }
        }
        return .mapping(entries, line: line)
    }
}
