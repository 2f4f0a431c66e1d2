import Foundation
import PostgresNIO
import Testing
import TenantryCore
import TenantryTestSupport

@testable import TenantryPostgres

/// sslmode against a managed local server with TLS switched on and a self-signed certificate for `localhost`.
///
/// One test, because all checks share one (slow to create) server, which is destroyed at the end.
@Suite("TLS verification against a server with TLS", .serialized)
struct TLSVerificationTests {
    /// TCP to `localhost`, where the server's certificate is valid.
    static func settings(
        port: Int, host: String = "localhost", sslMode: SSLMode, sslRootCert: String? = nil
    ) -> ConnectionSettings {
        ConnectionSettings(endpoint: .tcp(host: host, port: port), user: LocalServer.superuser, database: "postgres",
                           sslMode: sslMode, sslRootCert: sslRootCert, connectTimeout: 10)
    }

    static func usesTLS(_ settings: ConnectionSettings) async throws -> Bool? {
        try await PG.scalar(Bool.self, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", on: PG.connector(settings))
    }

    /// Makes a self-signed certificate for localhost and returns (certificate, key) paths in `folder`.
    static func makeCertificate(in folder: TemporaryDirectory) throws -> (certificate: String, key: String) {
        let output = try Shell.run("openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost", "-keyout", "server.key", "-out", "server.crt",
        ], in: folder.path)
        try #require(output.status == 0, "openssl failed: \(output.text)")
        return ("\(folder.path)/server.crt", "\(folder.path)/server.key")
    }

    /// Copies the certificate and key into the cluster's data directory, owned by the cluster's user,
    /// then turns TLS on with ALTER SYSTEM and a configuration reload.
    static func enableTLS(on server: LocalServer, port: Int, certificate: String, key: String) async throws {
        let manager = FileManager.default
        for (source, name, mode) in [(certificate, "server.crt", 0o644), (key, "server.key", 0o600)] {
            let target = "\(server.dataDirectory)/\(name)"
            try? manager.removeItem(atPath: target)
            try manager.copyItem(atPath: source, toPath: target)
            try manager.setAttributes([.posixPermissions: mode], ofItemAtPath: target)
            try server.runner.giveOwnership(of: target)
        }
        let connector = try PG.connector(server.connectionSettings(port: port))
        try await connector.withConnection { connection in
            try await connection.execute("ALTER SYSTEM SET ssl_cert_file = 'server.crt'", logger: PG.logger)
            try await connection.execute("ALTER SYSTEM SET ssl_key_file = 'server.key'", logger: PG.logger)
            try await connection.execute("ALTER SYSTEM SET ssl = on", logger: PG.logger)
            #expect(try await PG.scalar(Bool.self, "SELECT pg_reload_conf()", on: connection) == true)
        }
        var ssl: String?
        for _ in 0..<50 {
            ssl = try await PG.scalar(String.self, "SHOW ssl", on: connector)
            if ssl == "on" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        try #require(ssl == "on", "ssl is still \(ssl ?? "unknown") after the reload:\n\(server.tail(of: server.logFile))")
    }

    @Test(TestDatabase.required)
    func sslModesAgainstATLSServer() async throws {
        let certificates = try TemporaryDirectory("tenantry-certs")
        defer { certificates.remove() }
        let (certificate, key) = try Self.makeCertificate(in: certificates)

        try await ManagedServer.with("tenantry-tls") { server, port, _ in
            // Before TLS is on, require fails like it does against any plain server.
            let before = await PG.tenantryError { _ = try await Self.usesTLS(Self.settings(port: port, sslMode: .require)) }
            #expect(before?.message.contains("does not support TLS") == true, "\(String(describing: before))")

            try await Self.enableTLS(on: server, port: port, certificate: certificate, key: key)

            // verify-full without a root certificate: the system store does not trust a self-signed certificate.
            let untrusted = await PG.tenantryError {
                _ = try await Self.usesTLS(Self.settings(port: port, sslMode: .verifyFull))
            }
            #expect(untrusted?.kind == .setup)
            #expect(untrusted?.exitCode == 2)
            #expect(untrusted?.message.contains("not trusted") == true, "\(String(describing: untrusted))")
            #expect(untrusted?.message.contains("sslrootcert") == true, "\(String(describing: untrusted))")
            #expect(untrusted?.message.contains("localhost:\(port)") == true, "\(String(describing: untrusted))")

            // verify-full with the certificate as the root: trusted, and the host name matches.
            #expect(try await Self.usesTLS(Self.settings(port: port, sslMode: .verifyFull, sslRootCert: certificate)) == true)

            // verify-ca with the root: trusted.
            #expect(try await Self.usesTLS(Self.settings(port: port, sslMode: .verifyCA, sslRootCert: certificate)) == true)

            // verify-ca checks the chain, not the name: 127.0.0.1 is fine.
            #expect(try await Self.usesTLS(Self.settings(
                port: port, host: "127.0.0.1", sslMode: .verifyCA, sslRootCert: certificate)) == true)

            // verify-full checks the name: the certificate is for localhost, not 127.0.0.1.
            let mismatch = await PG.tenantryError {
                _ = try await Self.usesTLS(Self.settings(
                    port: port, host: "127.0.0.1", sslMode: .verifyFull, sslRootCert: certificate))
            }
            #expect(mismatch?.kind == .setup)
            #expect(mismatch?.message.contains("host name") == true, "\(String(describing: mismatch))")

            // require without a root: encrypted, nothing verified.
            #expect(try await Self.usesTLS(Self.settings(port: port, sslMode: .require)) == true)

            // require with a root behaves like verify-ca (libpq): a root that did not sign it is refused.
            let otherCA = try TemporaryDirectory("tenantry-other-ca")
            defer { otherCA.remove() }
            let (foreign, _) = try Self.makeCertificate(in: otherCA)
            let wrongRoot = await PG.tenantryError {
                _ = try await Self.usesTLS(Self.settings(port: port, sslMode: .require, sslRootCert: foreign))
            }
            #expect(wrongRoot?.kind == .setup)
            #expect(wrongRoot?.message.contains("not trusted") == true, "\(String(describing: wrongRoot))")

            // prefer uses TLS when the server offers it; disable never does.
            #expect(try await Self.usesTLS(Self.settings(port: port, sslMode: .prefer)) == true)
            #expect(try await Self.usesTLS(Self.settings(port: port, sslMode: .disable)) == false)

            // A root certificate file that does not exist.
            let missing = "\(certificates.path)/missing-root.crt"
            let missingRoot = await PG.tenantryError {
                _ = try await Self.usesTLS(Self.settings(port: port, sslMode: .verifyFull, sslRootCert: missing))
            }
            #expect(missingRoot?.kind == .setup)
            #expect(missingRoot?.message.contains("sslrootcert") == true, "\(String(describing: missingRoot))")
            #expect(missingRoot?.message.contains(missing) == true, "\(String(describing: missingRoot))")
        }
    }
}
