/// Where the master database's server comes from, in precedence order.
public enum MasterSource: Sendable, Equatable {
    /// A URL, with a label naming where it was found (never the URL itself in messages).
    case url(String, source: String)
    /// No URL, but `PGHOST` is set: libpq's environment variables describe the server.
    case pgEnvironment
    /// Nothing configured anywhere: the managed local PostgreSQL in `.tenantry/postgres`.
    case managedLocal

    /// `--url`, else `TENANTRY_DATABASE_URL`, else `DATABASE_URL`, else the file, else `PGHOST`, else managed.
    public static func resolve(flag: String?, project: Project) -> MasterSource {
        if let flag = nonEmpty(flag) { return .url(flag, source: "--url") }
        for variable in ["TENANTRY_DATABASE_URL", "DATABASE_URL"] {
            if let value = nonEmpty(project.environment[variable]) { return .url(value, source: variable) }
        }
        if let value = project.config.master.url {
            return .url(value, source: "master.url in \(project.configFileName)")
        }
        if nonEmpty(project.environment["PGHOST"]) != nil { return .pgEnvironment }
        return .managedLocal
    }

    public var label: String {
        switch self {
        case .url(_, let source): source
        case .pgEnvironment: "PG* environment variables"
        case .managedLocal: "the managed local PostgreSQL"
        }
    }
}

extension Project {
    var configFileName: String {
        configFile.map { String($0.split(separator: "/").last ?? "tenantry.yml") } ?? "tenantry.yml"
    }
}
