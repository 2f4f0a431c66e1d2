import PgQuery

// The names a tenant track creates, read from each statement's parse tree.
extension SchemaTenancy {
    static let serialTypes: Set<String> = ["serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"]

    /// The schema objects one statement creates or renames to: relations, indexes, sequences (a serial column's
    /// too), functions, types, domains and constraints (a constraint's index shares its name).
    static func createdNames(_ sql: String) -> Set<String> {
        guard let tree = try? PgQuery.parse(sql) else { return [] }
        var names: Set<String> = []
        for statement in tree.statements {
            guard let kind = statement.nodeName, let node = statement[kind] else { continue }
            switch kind {
            case "CreateStmt":
                guard let table = node["relation"]?["relname"]?.stringValue else { continue }
                names.insert(table)
                names.insert(table + "_pkey")
                for element in node["tableElts"]?.arrayValue ?? [] {
                    if let column = element["ColumnDef"], let name = column["colname"]?.stringValue {
                        if let type = lastName(column["typeName"]?["names"]), serialTypes.contains(type) {
                            names.insert("\(table)_\(name)_seq")
                        }
                        names.formUnion(constraintNames(column["constraints"]))
                    }
                    names.formUnion(constraintNames(.array([element])))
                }
            case "ViewStmt": names.insert(node["view"]?["relname"]?.stringValue)
            case "CreateTableAsStmt": names.insert(node["into"]?["rel"]?["relname"]?.stringValue)
            case "CreateSeqStmt": names.insert(node["sequence"]?["relname"]?.stringValue)
            case "IndexStmt": names.insert(node["idxname"]?.stringValue)
            case "CreateFunctionStmt": names.insert(lastName(node["funcname"]))
            case "CreateEnumStmt", "CreateRangeStmt": names.insert(lastName(node["typeName"]))
            case "CompositeTypeStmt": names.insert(node["typevar"]?["relname"]?.stringValue)
            case "CreateDomainStmt": names.insert(lastName(node["domainname"]))
            case "DefineStmt": names.insert(lastName(node["defnames"]))
            case "RenameStmt": names.insert(node["newname"]?.stringValue)
            case "AlterTableStmt":
                for command in node["cmds"]?.arrayValue ?? [] {
                    names.formUnion(constraintNames(command["AlterTableCmd"]?["def"].map { .array([$0]) }))
                    if let column = command["AlterTableCmd"]?["def"]?["ColumnDef"], let table = node["relation"]?["relname"]?.stringValue,
                       let name = column["colname"]?.stringValue, let type = lastName(column["typeName"]?["names"]), serialTypes.contains(type) {
                        names.insert("\(table)_\(name)_seq")
                    }
                }
            default: break
            }
        }
        return names
    }

    /// The last element of a qualified name list (`[{"String": {"sval": "public"}}, {"String": {"sval": "f"}}]`).
    private static func lastName(_ list: JSONValue?) -> String? {
        list?.arrayValue?.last?["String"]?["sval"]?.stringValue
    }

    private static func constraintNames(_ list: JSONValue?) -> Set<String> {
        Set((list?.arrayValue ?? []).compactMap { $0["Constraint"]?["conname"]?.stringValue })
    }
}

extension Set<String> {
    fileprivate mutating func insert(_ name: String?) {
        if let name { insert(name) }
    }
}
