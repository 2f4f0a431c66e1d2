import Foundation
import NIOSSL
import PostgresNIO
import TenantryCore

/// Maps libpq's `sslmode` (and certificate settings) onto PostgresNIO's TLS options.
///
/// `allow` behaves like `prefer` (PostgresNIO tries TLS first); `require` with a root certificate
/// behaves like `verify-ca`, as in libpq.
enum TLSContextFactory {
    static func tls(for settings: ConnectionSettings) throws(TenantryError) -> PostgresConnection.Configuration.TLS {
        if case .unixSocket = settings.endpoint { return .disable }
        switch settings.sslMode {
        case .disable:
            return .disable
        case .allow, .prefer:
            return .prefer(try context(verification: .none, settings: settings))
        case .require:
            let verification: CertificateVerification = settings.sslRootCert == nil ? .none : .noHostnameVerification
            return .require(try context(verification: verification, settings: settings))
        case .verifyCA:
            return .require(try context(verification: .noHostnameVerification, settings: settings))
        case .verifyFull:
            return .require(try context(verification: .fullVerification, settings: settings))
        }
    }

    private static func context(
        verification: CertificateVerification, settings: ConnectionSettings
    ) throws(TenantryError) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = verification
        if verification != .none {
            configuration.trustRoots = try trustRoots(settings.sslRootCert)
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

    /// `sslrootcert=system`, or none at all: the system's trust store. (The resolver has already filled in
    /// libpq's default file `~/.postgresql/root.crt` when it exists.)
    private static func trustRoots(_ rootCert: String?) throws(TenantryError) -> NIOSSLTrustRoots {
        guard let path = rootCert, path != "system" else { return .default }
        guard FileManager.default.fileExists(atPath: path) else {
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
