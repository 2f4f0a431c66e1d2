import Foundation
import TenantryCore

/// `tenant drop --archive FILE`: a pg_dump (custom format) of the tenant's database or schema, taken before
/// anything is dropped. The password goes to pg_dump through PGPASSWORD, never on its command line.
public struct TenantArchiver: Sendable {
    public let environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// - Parameter master: settings for the server holding the tenant (any database on it).
    public func archive(_ tenant: Tenant, to file: String, server master: ConnectionSettings) throws(TenantryError) {
        let pgDump = try Self.locatePgDump(environment: environment)
        // The dump holds the tenant's data: readable by its owner only. Made here, before pg_dump writes into it, and
        // never over an existing file (an earlier archive may be the only copy of some other tenant's data).
        let descriptor = open(file, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw .usage("cannot create the archive \(file): \(reason); nothing was dropped",
                         hint: "give --archive a new file name in a folder you can write to")
        }
        close(descriptor)
        var arguments = ["--format=custom", "--file=\(file)", "--no-password"]
        switch master.endpoint {
        case .tcp(let host, let port): arguments += ["--host=\(host)", "--port=\(port)"]
        case .unixSocket(let directory, let port): arguments += ["--host=\(directory)", "--port=\(port)"]
        }
        arguments += ["--username=\(master.user)"]
        if let schema = tenant.schemaName { arguments += ["--schema=\(Self.quotedPattern(schema))"] }
        arguments += ["--dbname=\(tenant.databaseName)"]
        var childEnvironment = ["PATH": environment["PATH"] ?? "/usr/bin:/bin", "PGSSLMODE": master.sslMode.rawValue,
                                "PGCONNECT_TIMEOUT": "\(master.connectTimeout ?? 10)", "PGAPPNAME": "tenantry-archive"]
        if let password = master.password { childEnvironment["PGPASSWORD"] = password }
        if let root = master.sslRootCert { childEnvironment["PGSSLROOTCERT"] = root }
        let output = try ProcessRunner(runAsUser: nil).run(pgDump, arguments, environment: childEnvironment)
        guard output.status == 0 else {
            try? FileManager.default.removeItem(atPath: file)
            throw .failed(Redactor.shared.redact("pg_dump of tenant \(tenant.id) failed, so nothing was dropped:\n\(output.text.suffix(1500))"),
                          hint: "check that pg_dump matches the server's major version and that \(file) is writable")
        }
    }

    /// pg_dump's -n takes a pattern; double quotes make it match the exact name.
    static func quotedPattern(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func locatePgDump(environment: [String: String]) throws(TenantryError) -> String {
        let path = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let directories = (environment["TENANTRY_PG_BIN"].map { [$0] } ?? []) + PostgresBinaries.usualDirectories() + path
        guard let found = directories.map({ "\($0)/pg_dump" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw .setup("pg_dump was not found, so the tenant cannot be archived", hint: PostgresBinaries.installHint)
        }
        return found
    }
}
