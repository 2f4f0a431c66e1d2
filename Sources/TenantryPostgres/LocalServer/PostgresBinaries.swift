import Foundation
import TenantryCore

/// The PostgreSQL server programs (`initdb`, `pg_ctl`, `postgres`) found on this machine.
public struct PostgresBinaries: Sendable, Equatable {
    public let directory: String

    public var initdb: String { "\(directory)/initdb" }
    public var pgCtl: String { "\(directory)/pg_ctl" }
    public var postgres: String { "\(directory)/postgres" }

    static let programs = ["initdb", "pg_ctl", "postgres"]

    /// `TENANTRY_PG_BIN` when set (and then only it), else PATH, else the usual install locations.
    public static func locate(environment: [String: String]) throws(TenantryError) -> PostgresBinaries {
        if let explicit = environment["TENANTRY_PG_BIN"], !explicit.isEmpty {
            if let found = locate(in: [explicit]) { return found }
            throw .setup("TENANTRY_PG_BIN is \(explicit), but initdb, pg_ctl and postgres are not all there",
                         hint: "point TENANTRY_PG_BIN at the bin folder of a PostgreSQL installation or unset it, or set master.url / DATABASE_URL to use an existing server")
        }
        let path = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        if let found = locate(in: path + usualDirectories()) { return found }
        throw .setup("no PostgreSQL server programs (initdb, pg_ctl, postgres) found on PATH or in the usual places",
                     hint: installHint + ", or set master.url / DATABASE_URL to use an existing server")
    }

    public static func locate(in directories: [String]) -> PostgresBinaries? {
        for directory in directories where programs.allSatisfy({ FileManager.default.isExecutableFile(atPath: "\(directory)/\($0)") }) {
            return PostgresBinaries(directory: directory)
        }
        return nil
    }

    /// Debian/Ubuntu, RHEL, Homebrew and Postgres.app layouts, newest major version first.
    static func usualDirectories() -> [String] {
        var directories: [String] = []
        for (parent, pattern) in [("/usr/lib/postgresql", "%@/bin"), ("/usr", "%@/bin"), ("/opt/homebrew/opt", "%@/bin"),
                                  ("/usr/local/opt", "%@/bin"), ("/Applications/Postgres.app/Contents/Versions", "%@/bin")] {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
            let versions = entries.filter { parent != "/usr" || $0.hasPrefix("pgsql-") }
                .filter { !parent.contains("opt") || $0.hasPrefix("postgresql") }
                .sorted { versionNumber($0) > versionNumber($1) }
            directories += versions.map { "\(parent)/\(String(format: pattern, $0))" }
        }
        return directories + ["/opt/homebrew/bin", "/usr/local/bin", "/usr/local/pgsql/bin"]
    }

    private static func versionNumber(_ name: String) -> Double {
        Double(name.filter { $0.isNumber || $0 == "." }) ?? 0
    }

    static var installHint: String {
        #if os(macOS)
        "install PostgreSQL (`brew install postgresql@16`)"
        #else
        "install PostgreSQL (`apt-get install postgresql` on Debian/Ubuntu, `dnf install postgresql-server` on Fedora/RHEL)"
        #endif
    }
}
