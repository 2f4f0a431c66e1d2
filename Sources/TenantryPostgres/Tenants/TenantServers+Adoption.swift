import TenantryCore

extension TenantServers {
    /// Where a tenant listed by `tenants.query` lives, from its optional `server` column (a name: `master` or
    /// one from `servers:`) or `url` column. A URL matching a configured server (host, port and user) is recorded
    /// by that server's name; any other is recorded without credentials, and its password comes from `.pgpass`
    /// or `PGPASSWORD` when Tenantry connects. A URL carrying a password is refused: the registry is readable
    /// by the application, so a password must never be stored there.
    ///
    /// - Returns: the placement, and the database the URL names (nil when it names none).
    public func adoptedPlacement(server: String?, url text: String?) throws(TenantryError) -> (placement: TenantProvisioner.Placement, database: String?) {
        if let server {
            guard !Self.isURL(server) else { return try adoptedPlacement(server: nil, url: server) }
            _ = try self.server(named: server)
            return (.exactly(Self.registryValue(server)), nil)
        }
        guard let text else { return (.exactly(nil), nil) }
        let url = try ConnectionURL.parse(text, source: "tenants.query's url column")
        guard url.password == nil else {
            throw .setup("tenants.query returned a url with a password; Tenantry never stores passwords in the registry",
                         hint: "return the URL without its password and put the password in ~/.pgpass or PGPASSWORD, or return a server column naming an entry of servers:")
        }
        let settings = try ConnectionResolver.system(environment: environment).resolve(url).settings
        let sameServer = { (other: ConnectionSettings) in
            other.serverDescription == settings.serverDescription && other.user == settings.user
        }
        let shared = url.database ?? master.connector.settings.database
        if let known = all.first(where: { sameServer($0.connector.settings) }) {
            return (.exactlyIn(server: Self.registryValue(known.name), sharedDatabase: shared), url.database)
        }
        // Credential-free, with the maintenance database: the tenant's own database is in the registry row.
        let key = settings.with(database: "postgres").redactedDescription
        return (.exactlyIn(server: key, sharedDatabase: shared), url.database)
    }
}
