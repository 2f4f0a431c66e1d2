import Foundation
import NIOSSL
import PostgresNIO
import TenantryCore

/// Turns PostgresNIO errors (whose own descriptions hide everything) into messages a user can act on.
public enum PostgresErrorDescriber {
    public static func connectionError(_ error: any Error, settings: ConnectionSettings) -> TenantryError {
        let server = settings.serverDescription
        guard let psql = error as? PSQLError else {
            return .setup(Redactor.shared.redact("cannot connect to \(server): \(error)"), hint: "check that the server is running and reachable")
        }
        switch psql.code {
        case .sslUnsupported:
            return .setup("cannot connect to \(server): the server does not support TLS, and sslmode=\(settings.sslMode.rawValue) requires it",
                          hint: "enable ssl on the server, or use sslmode=prefer or sslmode=disable if plain connections are acceptable")
        case .failedToAddSSLHandler:
            return .setup("cannot connect to \(server): TLS could not be set up", hint: "check sslrootcert, sslcert and sslkey")
        case .server:
            let sqlState = psql.serverInfo?[.sqlState] ?? "?"
            let message = psql.serverInfo?[.message] ?? "unknown server error"
            return TenantryError(.setup, Redactor.shared.redact("cannot connect to \(server) as \(settings.user), database \(settings.database): \(message) (SQLSTATE \(sqlState))"),
                                 hint: hint(forSQLState: sqlState, message: psql.serverInfo?[.message] ?? ""), sqlState: psql.serverInfo?[.sqlState])
        case .authMechanismRequiresPassword:
            return .setup("cannot connect to \(server) as \(settings.user): the server asks for a password and none was given",
                          hint: "put the password in the URL, PGPASSWORD or ~/.pgpass (mode 0600)")
        default:
            let underlying = psql.underlying.map { describe(underlying: $0, settings: settings) } ?? "\(psql.code)"
            return .setup(Redactor.shared.redact("cannot connect to \(server): \(underlying)"), hint: "check that the server is running and reachable")
        }
    }

    /// A failed query: the server's message and SQLSTATE, never the query's bound values.
    public static func queryError(_ error: any Error, doing what: String, kind: TenantryError.Kind = .failed) -> TenantryError {
        if let psql = error as? PSQLError, let info = psql.serverInfo {
            let sqlState = info[.sqlState] ?? "?"
            var message = "\(what) failed: \(info[.message] ?? "server error") (SQLSTATE \(sqlState))"
            if let detail = info[.detail] { message += "\n  detail: \(detail)" }
            return TenantryError(kind, Redactor.shared.redact(message), hint: info[.hint] ?? hint(forSQLState: sqlState, message: info[.message] ?? ""), sqlState: info[.sqlState])
        }
        if let tenantry = error as? TenantryError { return tenantry }
        let reason = (error as? PSQLError).map { "\($0.code)" } ?? "\(error)"
        return TenantryError(kind, Redactor.shared.redact("\(what) failed: \(reason)"))
    }

    private static func describe(underlying error: any Error, settings: ConnectionSettings) -> String {
        if let ssl = error as? NIOSSLError {
            let text = "\(ssl)"
            if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate verify failed") {
                return "the server's TLS certificate is not trusted (sslmode=\(settings.sslMode.rawValue)); set sslrootcert to the CA that signed it"
            }
            return "TLS handshake failed: \(text)"
        }
        if let ssl = error as? NIOSSLExtraError {
            if ssl == .failedToValidateHostname {
                return "the server's TLS certificate does not match the host name (sslmode=\(settings.sslMode.rawValue)): \(ssl)"
            }
            return "TLS failed: \(ssl)"
        }
        let text = "\(error)"
        if text.contains("connection reset") || text.contains("Connection refused") || text.contains("connectionRefused") || text.contains("refused") {
            return "connection refused (is PostgreSQL running and listening there?)"
        }
        return text
    }

    private static func hint(forSQLState sqlState: String, message: String) -> String? {
        switch sqlState {
        case "28P01", "28000": "check the user name and password (URL, PGPASSWORD or ~/.pgpass)"
        case "3D000": "create the database first, or run `tenantry up` which creates the master database"
        case "53300": "the server has too many connections; lower --concurrency or raise max_connections"
        case "57P03": "the server is starting up or shutting down; retry in a moment"
        case "55006" where message.contains("prepared transaction"):
            "prepared transactions (two-phase commit) keep the database in use: list them with "
                + "SELECT gid, database FROM pg_prepared_xacts, end each with COMMIT PREPARED 'gid' or ROLLBACK PREPARED 'gid', and run again"
        case "55006" where message.contains("template"):
            "close the other sessions on the template database (see pg_stat_activity) and run again"
        case "55006": "another session is using it (see pg_stat_activity); end that session and run again"
        case "42501": "the role lacks the privilege; connect as a role that has it (for CREATE DATABASE: CREATEDB)"
        default: nil
        }
    }
}
