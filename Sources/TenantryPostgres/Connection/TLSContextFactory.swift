import Foundation
import NIOSSL
import PostgresNIO
import TenantryCore

/// Maps libpq's `sslmode` (and certificate settings) onto PostgresNIO's TLS options.
///
/// `allow` behaves like `prefer` (PostgresNIO tries TLS first); `require` with a root certificate
/// behaves like `verify-ca`, as in libpq.
enum TLSContextFactory {
    static func tls(for settings: ConnectionSettings, homeDirectory: String) throws(TenantryError) -> PostgresConnection.Configuration.TLS {
        if case .unixSocket = settings.endpoint { return .disable }
        switch settings.sslMode {
        case .disable:
            return .disable
        case .allow, .prefer:
            return .prefer(try context(verification: .none, settings: settings, homeDirectory: homeDirectory))
        case .require:
            let verification: CertificateVerification = settings.sslRootCert == nil ? .none : .noHostnameVerification
            return .require(try context(verification: verification, settings: settings, homeDirectory: homeDirectory))
        case .verifyCA:
            return .require(try context(verification: .noHostnameVerification, settings: settings, homeDirectory: homeDirectory))
        case .verifyFull:
            return .require(try context(verification: .fullVerification, settings: settings, homeDirectory: homeDirectory))
        }
    }

    private static func context(
        verification: CertificateVerification, settings: ConnectionSettings, homeDirectory: String
    ) throws(TenantryError) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = verification
        if verification != .none {
            configuration.trustRoots = try trustRoots(settings.sslRootCert, homeDirectory: homeDirectory)
        }
        if let certificate = settings.sslCert {
            guard let keyPath = settings.sslKey else {
                throw .setup("sslcert is set but sslkey is not", hint: "set sslkey to the client certificate's private key file")
            }
            do {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyPath, format: .pem))
            } catch {
                throw .setup("cannot load the client certificate \(certificate) or key \(keyPath): \(error)",
                             hint: "both must be PEM files readable by this user")
            }
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw .setup("cannot set up TLS: \(error)", hint: "check sslrootcert, sslcert and sslkey")
        }
    }

    /// `sslrootcert=system` or no root certificate: the system's trust store (libpq's default file
    /// `~/.postgresql/root.crt` is used when it exists).
    private static func trustRoots(_ rootCert: String?, homeDirectory: String) throws(TenantryError) -> NIOSSLTrustRoots {
        let path = rootCert ?? "\(homeDirectory)/.postgresql/root.crt"
        if rootCert == "system" { return .default }
        guard FileManager.default.fileExists(atPath: path) else {
            if rootCert == nil { return .default }
            throw .setup("the root certificate file \(path) (sslrootcert) does not exist",
                         hint: "point sslrootcert at the CA certificate of the server, or use sslrootcert=system")
        }
        do {
            return .certificates(try NIOSSLCertificate.fromPEMFile(path))
        } catch {
            throw .setup("cannot read the root certificate \(path) (sslrootcert): \(error)", hint: "it must be a PEM file")
        }
    }
}
