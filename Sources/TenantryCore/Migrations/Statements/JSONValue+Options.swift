import PgQuery

// Reading libpg_query nodes: boolean fields are left out when false, and `WITH (...)` style options are lists
// of `DefElem` nodes whose argument may be missing, a string, a number or a type name.
extension JSONValue {
    /// A boolean field of a node's fields; absent means false.
    func flag(_ key: String) -> Bool {
        self[key]?.boolValue ?? false
    }

    /// The `DefElem` named `name` (lowercase, as the parser folds it) in the option list `list`, or nil.
    func option(_ name: String, in list: String = "options") -> JSONValue? {
        (self[list]?.arrayValue ?? []).lazy
            .compactMap { $0["DefElem"] }
            .first { $0["defname"]?.stringValue == name }
    }

    /// The boolean a `DefElem` sets, read the way PostgreSQL's `defGetBoolean` reads it: no argument means
    /// true; 0/1; true/false/on/off in any case. Nil for anything else (the server rejects those).
    var definedBoolean: Bool? {
        guard let argument = self["arg"] else { return true }
        // `CASCADE` and other bare keywords arrive as a Boolean node (false is left out).
        if let boolean = argument["Boolean"] { return boolean.flag("boolval") }
        if let integer = argument["Integer"] {
            // libpg_query leaves out a zero `ival`.
            switch integer["ival"]?.intValue ?? 0 {
            case 0: return false
            case 1: return true
            default: return nil
            }
        }
        let word = argument["String"]?["sval"]?.stringValue
            ?? argument["TypeName"]?["names"]?.arrayValue?.last?["String"]?["sval"]?.stringValue
        switch word?.lowercased() {
        case "true", "on": return true
        case "false", "off": return false
        default: return nil
        }
    }
}
