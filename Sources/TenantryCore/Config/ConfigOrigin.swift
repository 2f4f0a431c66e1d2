/// Where one setting of the resolved config came from: a line of the file (maybe inside the selected environment),
/// and the variables its `${...}` read, each with where that variable was found.
public struct ConfigOrigin: Sendable, Equatable {
    public enum VariableSource: String, Sendable, Equatable {
        case process = "environment"
        case dotEnv = ".env"
        case unset
    }

    public var file: String
    public var line: Int
    /// The environment whose overlay set it, or nil for the top level.
    public var environment: String?
    public var variables: [(name: String, source: VariableSource)]

    public init(file: String, line: Int, environment: String? = nil, variables: [(name: String, source: VariableSource)] = []) {
        self.file = file
        self.line = line
        self.environment = environment
        self.variables = variables
    }

    /// `tenantry.yml:12 (environments.prod) via ${MASTER_URL} from .env`
    public var description: String {
        var text = "\(file):\(line)"
        if let environment { text += " (environments.\(environment))" }
        if !variables.isEmpty {
            text += " via " + variables.map { "${\($0.name)} " + ($0.source == .unset ? "(unset)" : "from \($0.source.rawValue)") }
                .joined(separator: ", ")
        }
        return text
    }

    /// Whether any variable it read is named like a secret (`..._PASSWORD`, `..._TOKEN`, ...).
    public var readsSecret: Bool {
        variables.contains { variable in
            ["PASSWORD", "SECRET", "TOKEN", "PASSWD", "KEY"].contains { variable.name.uppercased().contains($0) }
        }
    }

    public static func == (lhs: ConfigOrigin, rhs: ConfigOrigin) -> Bool {
        lhs.file == rhs.file && lhs.line == rhs.line && lhs.environment == rhs.environment
            && lhs.variables.map(\.name) == rhs.variables.map(\.name) && lhs.variables.map(\.source) == rhs.variables.map(\.source)
    }
}

/// The origin of every key path (`master.url`, `servers.eu.url`) in the raw file: the top level first, then the
/// selected environment's overlay over it.
struct ConfigProvenance {
    let file: String
    let processEnvironment: [String: String]
    let dotEnv: [String: String]

    func origins(of tree: ConfigNode, environment: String?) -> [String: ConfigOrigin] {
        var origins: [String: ConfigOrigin] = [:]
        guard case .mapping(let entries, _) = tree else { return origins }
        for entry in entries where entry.key != "environments" {
            record(entry.value, path: entry.key, line: entry.line, environment: nil, into: &origins)
        }
        guard let environment,
              case .mapping(let environments, _)? = entries.first(where: { $0.key == "environments" })?.value,
              case .mapping(let overlay, _)? = environments.first(where: { $0.key == environment })?.value else { return origins }
        for entry in overlay {
            // A replaced mapping or list forgets the top level's keys below it; a merged mapping keeps them.
            record(entry.value, path: entry.key, line: entry.line, environment: environment, into: &origins)
        }
        return origins
    }

    private func record(_ node: ConfigNode, path: String, line: Int, environment: String?, into origins: inout [String: ConfigOrigin]) {
        switch node {
        case .mapping(let entries, _):
            for entry in entries {
                record(entry.value, path: "\(path).\(entry.key)", line: entry.line, environment: environment, into: &origins)
            }
        case .scalar(let text, _):
            origins[path] = ConfigOrigin(file: file, line: line, environment: environment, variables: variables(in: text))
        case .sequence(let items, _):
            let texts = items.compactMap { item -> String? in if case .scalar(let text, _) = item { text } else { nil } }
            origins[path] = ConfigOrigin(file: file, line: line, environment: environment,
                                         variables: texts.flatMap { variables(in: $0) })
        case .null:
            origins[path] = ConfigOrigin(file: file, line: line, environment: environment)
        }
    }

    /// The names in `${NAME...}` (not `$${`), in order, each with where its value comes from.
    private func variables(in text: String) -> [(name: String, source: ConfigOrigin.VariableSource)] {
        var found: [(name: String, source: ConfigOrigin.VariableSource)] = []
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            let after = rest[rest.index(after: dollar)...]
            if after.first == "$" {
                rest = after.dropFirst()
                continue
            }
            rest = after
            guard after.first == "{" else { continue }
            let name = String(after.dropFirst().prefix { $0.isLetter || $0.isNumber || $0 == "_" })
            guard !name.isEmpty, !found.contains(where: { $0.name == name }) else { continue }
            let source: ConfigOrigin.VariableSource = nonEmpty(processEnvironment[name]) != nil ? .process
                : nonEmpty(dotEnv[name]) != nil ? .dotEnv : .unset
            found.append((name, source))
        }
        return found
    }
}
