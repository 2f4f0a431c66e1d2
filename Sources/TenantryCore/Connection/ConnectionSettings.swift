/// Everything needed to open one PostgreSQL connection, resolved the way libpq resolves it:
/// URL parameters first, then `PG*` environment variables, then `~/.pgpass`, then libpq's defaults.
public struct ConnectionSettings: Sendable, Equatable {
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        /// `directory` holds the socket file `.s.PGSQL.<port>`, as in libpq.
        case unixSocket(directory: String, port: Int)
    }

    public var endpoint: Endpoint
    public var user: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    public var sslRootCert: String?
    public var sslCert: String?
    public var sslKey: String?
    public var applicationName: String?
    /// Seconds; libpq treats 0 or absent as "wait forever", Tenantry as its default of 10 s.
    public var connectTimeout: Int?

    public init(
        endpoint: Endpoint, user: String, password: String? = nil, database: String,
        sslMode: SSLMode = .prefer, sslRootCert: String? = nil, sslCert: String? = nil, sslKey: String? = nil,
        applicationName: String? = nil, connectTimeout: Int? = nil
    ) {
        self.endpoint = endpoint
        self.user = user
        self.password = password
        self.database = database
        self.sslMode = sslMode
        self.sslRootCert = sslRootCert
        self.sslCert = sslCert
        self.sslKey = sslKey
        self.applicationName = applicationName
        self.connectTimeout = connectTimeout
    }

    public var port: Int {
        switch endpoint {
        case .tcp(_, let port), .unixSocket(_, let port): port
        }
    }

    /// The same server and credentials, another database (for `CREATE DATABASE` from the maintenance db).
    public func with(database: String) -> ConnectionSettings {
        var copy = self
        copy.database = database
        return copy
    }
}
