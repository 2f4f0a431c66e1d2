import Foundation

/// The outcome of resolving connection settings: the settings, plus warnings for the caller to print.
public struct ConnectionResolution: Sendable, Equatable {
    /// Where the password came from. Never the password itself.
    public enum PasswordSource: Sendable, Equatable {
        case url
        case environment  // PGPASSWORD
        case passFile(path: String)
    }

    public var settings: ConnectionSettings
    /// Human-readable, password-free warnings (e.g. a `.pgpass` ignored because of its permissions).
    public var warnings: [String]
    /// `nil` when no password was found anywhere.
    public var passwordSource: PasswordSource?

    public init(settings: ConnectionSettings, warnings: [String] = [], passwordSource: PasswordSource? = nil) {
        self.settings = settings
        self.warnings = warnings
        self.passwordSource = passwordSource
    }
}

/// Turns a parsed URL (or none) into `ConnectionSettings` the way libpq does: a value from the URL, else the
/// matching `PG*` environment variable, else libpq's default.
///
/// | setting          | URL                | environment          | default                                         |
/// |------------------|--------------------|----------------------|-------------------------------------------------|
/// | host             | host / `?host=`    | `PGHOST`             | unix socket in `defaultSocketDirectory`         |
/// | hostaddr         | `?hostaddr=`       | `PGHOSTADDR`         | –                                               |
/// | port             | `:port` / `?port=` | `PGPORT`             | 5432                                            |
/// | user             | user / `?user=`    | `PGUSER`             | the OS user                                     |
/// | password         | password           | `PGPASSWORD`         | password file (`PGPASSFILE`, else `~/.pgpass`)  |
/// | database         | path / `?dbname=`  | `PGDATABASE`         | the user name                                   |
/// | sslmode          | `?sslmode=`        | `PGSSLMODE`          | `prefer` (`verify-full` with `sslrootcert=system`) |
/// | sslrootcert      | `?sslrootcert=`    | `PGSSLROOTCERT`      | `~/.postgresql/root.crt` if it exists           |
/// | sslcert          | `?sslcert=`        | `PGSSLCERT`          | `~/.postgresql/postgresql.crt` if it exists     |
/// | sslkey           | `?sslkey=`         | `PGSSLKEY`           | `~/.postgresql/postgresql.key` if it exists     |
/// | application_name | `?application_name=` | `PGAPPNAME`        | –                                               |
/// | connect_timeout  | `?connect_timeout=`  | `PGCONNECT_TIMEOUT`| –                                               |
///
/// Host and hostaddr are taken as a pair: if the URL gives either, `PGHOST`/`PGHOSTADDR` are not consulted.
/// Giving both host and hostaddr is not supported (an error). Empty variables count as unset.
///
/// Pure apart from the injected file-system functions; every password found is registered with `redactor`.
public struct ConnectionResolver: Sendable {
    public static let defaultPort = 5432
    /// Checked in order by `detectDefaultSocketDirectory`; the first existing directory wins.
    public static let socketDirectoryCandidates = ["/var/run/postgresql", "/tmp"]

    public var environment: [String: String]
    /// The operating-system user name (libpq's default user).
    public var osUser: String
    /// Where `~/.pgpass` and `~/.postgresql/` live.
    public var homeDirectory: String
    /// libpq's `DEFAULT_PGSOCKET_DIR`: where to connect when no host is given, and the directory that
    /// `.pgpass` treats as `localhost`.
    public var defaultSocketDirectory: String
    /// Used only for the default client-certificate and root-certificate files.
    public var fileExists: @Sendable (String) -> Bool
    public var loadPassFile: @Sendable (String) -> PgPass.LoadResult
    public var redactor: Redactor

    public init(
        environment: [String: String],
        osUser: String,
        homeDirectory: String,
        defaultSocketDirectory: String? = nil,
        fileExists: @escaping @Sendable (String) -> Bool = { FileManager.default.fileExists(atPath: $0) },
        loadPassFile: @escaping @Sendable (String) -> PgPass.LoadResult = { PgPass.load(path: $0) },
        redactor: Redactor = .shared
    ) {
        self.environment = environment
        self.osUser = osUser
        self.homeDirectory = homeDirectory
        self.defaultSocketDirectory = defaultSocketDirectory ?? Self.detectDefaultSocketDirectory()
        self.fileExists = fileExists
        self.loadPassFile = loadPassFile
        self.redactor = redactor
    }

    /// A resolver for this process: its environment, effective user, and home directory (`$HOME` first, as libpq).
    public static func system(environment: [String: String] = ProcessInfo.processInfo.environment) -> ConnectionResolver {
        ConnectionResolver(
            environment: environment,
            osUser: currentOSUser(environment: environment),
            homeDirectory: currentHomeDirectory(environment: environment)
        )
    }

    /// `/var/run/postgresql` if that directory exists, else `/tmp`.
    public static func detectDefaultSocketDirectory(
        isDirectory: (String) -> Bool = { path in
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
        }
    ) -> String {
        socketDirectoryCandidates.first(where: isDirectory) ?? "/tmp"
    }

    public static func currentOSUser(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name {
            let user = String(cString: name)
            if !user.isEmpty { return user }
        }
        if let user = environment["USER"], !user.isEmpty { return user }
        return NSUserName()
    }

    public static func currentHomeDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let home = environment["HOME"], !home.isEmpty { return home }
        if let entry = getpwuid(geteuid()), let dir = entry.pointee.pw_dir {
            let home = String(cString: dir)
            if !home.isEmpty { return home }
        }
        return NSHomeDirectory()
    }

    /// Parses `text` (if any) and resolves it. `source` names where the URL came from, for error messages.
    public func resolve(url text: String?, source: String) throws(TenantryError) -> ConnectionResolution {
        let url = try text.map { (text: String) throws(TenantryError) -> ConnectionURL in
            try ConnectionURL(parsing: text, source: source, redactor: redactor)
        }
        return try resolve(url, urlSource: source)
    }

    /// Resolves `url` (or, with `nil`, the environment and defaults alone) into connection settings.
    public func resolve(_ url: ConnectionURL?, urlSource: String? = nil) throws(TenantryError) -> ConnectionResolution {
        let urlLabel = urlSource.map { "the connection URL from \($0)" } ?? "the connection URL"
        var warnings: [String] = []

        // Endpoint: host and hostaddr come as a pair, from the URL if it names either, else from PG*.
        let host: String?, hostAddress: String?, hostLabel: String, hostAddrLabel: String
        if let url, url.host != nil || url.hostAddress != nil {
            (host, hostAddress) = (given(url.host), given(url.hostAddress))
            (hostLabel, hostAddrLabel) = ("\(urlLabel): host", "\(urlLabel): hostaddr")
        } else {
            (host, hostAddress) = (env("PGHOST"), env("PGHOSTADDR"))
            (hostLabel, hostAddrLabel) = ("PGHOST", "PGHOSTADDR")
            if host?.contains(",") == true || hostAddress?.contains(",") == true {
                throw .setup(
                    "\(host?.contains(",") == true ? "PGHOST" : "PGHOSTADDR") lists several hosts; multiple hosts are not supported yet",
                    hint: "set it to a single host"
                )
            }
        }

        let port: Int
        if let urlPort = url?.port {
            port = urlPort
        } else if let text = env("PGPORT") {
            port = try Self.parsePort(text, variable: "PGPORT")
        } else {
            port = Self.defaultPort
        }

        let endpoint: ConnectionSettings.Endpoint
        switch (host, hostAddress) {
        case (.some, .some):
            throw .setup(
                "\(hostLabel) and \(hostAddrLabel) are both set; using host and hostaddr together is not supported yet",
                hint: "give only the host (a name or IP address) or only hostaddr"
            )
        case (.some(let host), nil):
            endpoint = host.hasPrefix("/") ? .unixSocket(directory: host, port: port) : .tcp(host: host, port: port)
        case (nil, .some(let address)):
            guard Self.isNumericIPAddress(address) else {
                throw .setup(
                    "\(hostAddrLabel) is invalid: '\(address)' is not a numeric IP address",
                    hint: "hostaddr takes an IPv4 or IPv6 address; use host for a host name"
                )
            }
            endpoint = .tcp(host: address, port: port)
        case (nil, nil):
            endpoint = .unixSocket(directory: defaultSocketDirectory, port: port)
        }

        guard let user = given(url?.user) ?? env("PGUSER") ?? given(osUser) else {
            throw .setup("could not determine the database user name", hint: "set PGUSER or put the user in the connection URL")
        }
        let database = given(url?.database) ?? env("PGDATABASE") ?? user

        let sslRootCert = given(url?.sslRootCert) ?? env("PGSSLROOTCERT") ?? defaultFile("root.crt")
        let sslCert = given(url?.sslCert) ?? env("PGSSLCERT") ?? defaultFile("postgresql.crt")
        let sslKey = given(url?.sslKey) ?? env("PGSSLKEY") ?? defaultFile("postgresql.key")

        let explicitSSLMode: (mode: SSLMode, label: String)?
        if let mode = url?.sslMode {
            explicitSSLMode = (mode, "\(urlLabel): sslmode")
        } else if let text = env("PGSSLMODE") {
            guard let mode = SSLMode(rawValue: text) else {
                throw .setup(
                    "PGSSLMODE is invalid: '\(text)' is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))",
                    hint: "unset PGSSLMODE or set it to e.g. require or verify-full"
                )
            }
            explicitSSLMode = (mode, "PGSSLMODE")
        } else {
            explicitSSLMode = nil
        }
        let sslMode: SSLMode
        if sslRootCert == "system" {
            // libpq 16+: the system trust store implies verify-full, and weaker explicit modes are refused.
            if let explicitSSLMode, explicitSSLMode.mode != .verifyFull {
                throw .setup(
                    "\(explicitSSLMode.label) is '\(explicitSSLMode.mode.rawValue)', which may not be used with sslrootcert=system",
                    hint: "use sslmode=verify-full with sslrootcert=system"
                )
            }
            sslMode = .verifyFull
        } else {
            sslMode = explicitSSLMode?.mode ?? .prefer
        }

        let applicationName = given(url?.applicationName) ?? env("PGAPPNAME")
        let connectTimeout: Int?
        if let timeout = url?.connectTimeout {
            connectTimeout = timeout
        } else if let text = env("PGCONNECT_TIMEOUT") {
            guard let timeout = Int(text.trimmingCharacters(in: .whitespaces)), timeout >= 0 else {
                throw .setup(
                    "PGCONNECT_TIMEOUT is invalid: '\(text)' is not a whole, non-negative number of seconds",
                    hint: "unset PGCONNECT_TIMEOUT or set it to e.g. 10"
                )
            }
            connectTimeout = timeout
        } else {
            connectTimeout = nil
        }

        // Password: URL, else PGPASSWORD, else the password file.
        var password: String?
        var passwordSource: ConnectionResolution.PasswordSource?
        if let urlPassword = given(url?.password) {
            (password, passwordSource) = (urlPassword, .url)
        } else if let envPassword = env("PGPASSWORD") {
            (password, passwordSource) = (envPassword, .environment)
        } else if let path = env("PGPASSFILE") ?? (homeDirectory.isEmpty ? nil : Self.join(homeDirectory, ".pgpass")) {
            switch loadPassFile(path) {
            case .missing:
                break
            case .ignored(let warning):
                warnings.append(warning)
            case .loaded(let file):
                if let found = file.password(
                    for: endpoint, database: database, user: user, defaultSocketDirectory: defaultSocketDirectory
                ), !found.isEmpty {
                    (password, passwordSource) = (found, .passFile(path: path))
                }
            }
        }
        redactor.register(password)

        let settings = ConnectionSettings(
            endpoint: endpoint, user: user, password: password, database: database, sslMode: sslMode,
            sslRootCert: sslRootCert, sslCert: sslCert, sslKey: sslKey, applicationName: applicationName,
            connectTimeout: connectTimeout
        )
        return ConnectionResolution(settings: settings, warnings: warnings, passwordSource: passwordSource)
    }

    // MARK: - Helpers

    /// A `PG*` variable, with empty values counting as unset.
    private func env(_ name: String) -> String? {
        given(environment[name])
    }

    private func given(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    private func defaultFile(_ name: String) -> String? {
        guard !homeDirectory.isEmpty else { return nil }
        let path = Self.join(Self.join(homeDirectory, ".postgresql"), name)
        return fileExists(path) ? path : nil
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    static func parsePort(_ text: String, variable: String) throws(TenantryError) -> Int {
        if text.contains(",") {
            throw .setup("\(variable) lists several ports; multiple hosts are not supported yet", hint: "set \(variable) to a single port")
        }
        guard let port = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw .setup("\(variable) is invalid: '\(text)' is not a port number", hint: "unset \(variable) or set it to a number between 1 and 65535")
        }
        guard (1...65535).contains(port) else {
            throw .setup("\(variable) is invalid: \(port) is out of range (1-65535)", hint: "unset \(variable) or set it to a number between 1 and 65535")
        }
        return port
    }

    static func isNumericIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}
