/// Applies `environments.<name>` over the top-level settings and removes the `environments` key.
struct EnvironmentOverlay {
    let file: String

    func apply(to tree: ConfigNode, selecting name: String?, config: inout Config) throws(TenantryError) -> ConfigNode {
        let decoder = ConfigDecoder(file: file)
        let entries = try decoder.mapping(tree, path: "the top level")
        let base = ConfigNode.mapping(entries.filter { $0.key != "environments" }, line: tree.line)
        var environments: [ConfigNode.Entry] = []
        if let entry = entries.first(where: { $0.key == "environments" }) {
            environments = try decoder.mapping(entry.value, path: "environments")
            for environment in environments {
                let keys = try decoder.mapping(environment.value, path: "environments.\(environment.key)")
                try decoder.checkKeys(keys, allowed: ConfigDecoder.environmentKeys, path: "environments.\(environment.key).")
                // Typos one level down too, even in environments that are not selected.
                for section in keys {
                    guard let allowed = ConfigDecoder.sectionKeys[section.key], case .mapping(let inner, _) = section.value else { continue }
                    try decoder.checkKeys(inner, allowed: allowed, path: "environments.\(environment.key).\(section.key).")
                }
            }
        }
        config.environmentNames = environments.map(\.key)
        guard let name else { return base }
        guard let selected = environments.first(where: { $0.key == name }) else {
            let known = environments.isEmpty ? "none are defined" : "defined: \(environments.map(\.key).joined(separator: ", "))"
            throw .setup("environment '\(name)' is not defined in \(file) (\(known))",
                         hint: "add it under `environments:` or pick another with --env / TENANTRY_ENV")
        }
        // An environment with no settings (`local:`) is null: it changes nothing.
        if case .null = selected.value { return base }
        return base.merging(selected.value)
    }
}
