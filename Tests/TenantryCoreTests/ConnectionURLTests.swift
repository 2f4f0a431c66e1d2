import Foundation
import Testing

@testable import TenantryCore

@Suite("ConnectionURL parsing")
struct ConnectionURLTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        let url: String
        let expected: ConnectionURL
        var testDescription: String { url }
    }

    static let valid: [Valid] = [
        Valid(
            url: "postgresql://app:secret@db.example.com:5432/master",
            expected: ConnectionURL(host: "db.example.com", port: 5432, user: "app", password: "secret", database: "master")
        ),
        Valid(
            url: "postgres://app@db.example.com/master",
            expected: ConnectionURL(host: "db.example.com", user: "app", database: "master")
        ),
        Valid(
            url: "postgresql://app:p%40ss%3Aw%2Frd@db/x",
            expected: ConnectionURL(host: "db", user: "app", password: "p@ss:w/rd", database: "x")
        ),
        // '+' is not a space in libpq URIs; a raw ':' after the first one belongs to the password.
        Valid(
            url: "postgresql://u:a+b:c@h",
            expected: ConnectionURL(host: "h", user: "u", password: "a+b:c")
        ),
        Valid(url: "postgresql://:pw@h", expected: ConnectionURL(host: "h", password: "pw")),
        Valid(url: "postgresql://us%20er@h", expected: ConnectionURL(host: "h", user: "us er")),
        Valid(url: "postgresql://192.168.0.10:5433", expected: ConnectionURL(host: "192.168.0.10", port: 5433)),
        Valid(url: "postgresql://[::1]:6432/db", expected: ConnectionURL(host: "::1", port: 6432, database: "db")),
        Valid(url: "postgresql://[::1]/db", expected: ConnectionURL(host: "::1", database: "db")),
        Valid(url: "postgresql://u@[2001:db8::7]", expected: ConnectionURL(host: "2001:db8::7", user: "u")),
        Valid(
            url: "postgresql://[fe80::1%25eth0]:5432/db",
            expected: ConnectionURL(host: "fe80::1%eth0", port: 5432, database: "db")
        ),
        Valid(
            url: "postgresql://%2Fvar%2Frun%2Fpostgresql/db",
            expected: ConnectionURL(host: "/var/run/postgresql", database: "db")
        ),
        Valid(
            url: "postgresql://%2Fvar%2Frun%2Fpostgresql:5433/db",
            expected: ConnectionURL(host: "/var/run/postgresql", port: 5433, database: "db")
        ),
        Valid(
            url: "postgresql:///db?host=/var/run/postgresql",
            expected: ConnectionURL(host: "/var/run/postgresql", database: "db")
        ),
        Valid(
            url: "postgresql://app@/db?host=%2Ftmp&port=5433",
            expected: ConnectionURL(host: "/tmp", port: 5433, user: "app", database: "db")
        ),
        // Query parameters override the authority and path, as in libpq.
        Valid(
            url: "postgresql://a:1@h:1111/d?host=other&port=2222&user=u2&password=p2&dbname=d2",
            expected: ConnectionURL(host: "other", port: 2222, user: "u2", password: "p2", database: "d2")
        ),
        Valid(
            url: "postgresql://h?user=u&password=pw&dbname=d&port=1234",
            expected: ConnectionURL(host: "h", port: 1234, user: "u", password: "pw", database: "d")
        ),
        Valid(
            url: "postgresql://h/db?sslmode=verify-full&sslrootcert=/ca.pem&sslcert=/c.pem&sslkey=/k.pem&application_name=tenantry%20cli&connect_timeout=7",
            expected: ConnectionURL(
                host: "h", database: "db", sslMode: .verifyFull, sslRootCert: "/ca.pem", sslCert: "/c.pem",
                sslKey: "/k.pem", applicationName: "tenantry cli", connectTimeout: 7
            )
        ),
        Valid(url: "postgresql://h/db?hostaddr=10.1.2.3", expected: ConnectionURL(host: "h", hostAddress: "10.1.2.3", database: "db")),
        Valid(url: "postgresql://h/db?ssl=true", expected: ConnectionURL(host: "h", database: "db", sslMode: .require)),
        Valid(url: "postgresql://h/db?sslmode=disable", expected: ConnectionURL(host: "h", database: "db", sslMode: .disable)),
        Valid(url: "postgresql://h/db?sslmode=allow", expected: ConnectionURL(host: "h", database: "db", sslMode: .allow)),
        Valid(url: "postgresql://h/db?sslmode=prefer", expected: ConnectionURL(host: "h", database: "db", sslMode: .prefer)),
        Valid(url: "postgresql://h/db?sslmode=verify-ca", expected: ConnectionURL(host: "h", database: "db", sslMode: .verifyCA)),
        // Missing database and port stay unspecified (the resolver defaults them to the user name and 5432).
        Valid(url: "postgresql://app@db.example.com", expected: ConnectionURL(host: "db.example.com", user: "app")),
        Valid(url: "postgresql://h/", expected: ConnectionURL(host: "h")),
        Valid(url: "postgresql://h:/db", expected: ConnectionURL(host: "h", database: "db")),
        Valid(url: "postgresql://h/my%20db%2Fx", expected: ConnectionURL(host: "h", database: "my db/x")),
        Valid(url: "postgresql://", expected: ConnectionURL()),
        Valid(url: "postgresql:///", expected: ConnectionURL()),
        Valid(url: "postgresql://h?", expected: ConnectionURL(host: "h")),
        // An empty parameter value counts as unspecified.
        Valid(url: "postgresql://h/db?user=&application_name=", expected: ConnectionURL(host: "h", database: "db")),
    ]

    @Test("parses valid URLs", arguments: valid)
    func parsesValidURL(_ valid: Valid) throws {
        let parsed = try ConnectionURL(parsing: valid.url, source: "--url")
        #expect(parsed == valid.expected)
    }

    @Test func unixSocketFlag() throws {
        #expect(try ConnectionURL(parsing: "postgresql:///db?host=/tmp", source: "t").isUnixSocket)
        #expect(try !ConnectionURL(parsing: "postgresql://h/db", source: "t").isUnixSocket)
        #expect(try !ConnectionURL(parsing: "postgresql:///db", source: "t").isUnixSocket)
    }

    static let canary = "Canary-7x9Q"

    struct Invalid: Sendable, CustomTestStringConvertible {
        let url: String
        /// Text the message must contain (besides the source label).
        let mentions: String
        var testDescription: String { url }
    }

    static let invalid: [Invalid] = [
        Invalid(url: "mysql://u:\(canary)@h/db", mentions: "scheme 'mysql' is not supported"),
        Invalid(url: "http://u:\(canary)@h/db", mentions: "scheme 'http' is not supported"),
        Invalid(url: "u:\(canary)@h/db", mentions: "does not start with postgresql://"),
        Invalid(url: "postgresql:/u:\(canary)@h/db", mentions: "does not start with postgresql://"),
        Invalid(url: "postgresql://u:\(canary)@h:abc/db", mentions: "port 'abc' is not a number"),
        Invalid(url: "postgresql://u:\(canary)@h:70000/db", mentions: "port 70000 is out of range (1-65535)"),
        Invalid(url: "postgresql://u:\(canary)@h:0/db", mentions: "port 0 is out of range"),
        Invalid(url: "postgresql://u:\(canary)@h/db?port=99999", mentions: "port 99999 is out of range"),
        Invalid(url: "postgresql://u:\(canary)@h/db?port=x1", mentions: "port 'x1' is not a number"),
        Invalid(url: "postgresql://u:\(canary)@h/db?foo=1", mentions: "unknown parameter 'foo'"),
        Invalid(url: "postgresql://u:\(canary)@h/db?sslmode=require&bogus_param=x", mentions: "unknown parameter 'bogus_param'"),
        Invalid(url: "postgresql://u:\(canary)@h/db?options=-c%20x%3Dy", mentions: "parameter 'options', which Tenantry does not support"),
        Invalid(url: "postgresql://u:\(canary)@h/db?sslmode=bogus", mentions: "sslmode 'bogus' is not one of"),
        Invalid(url: "postgresql://u:\(canary)@h/db?ssl=false", mentions: "'ssl' only accepts 'true'"),
        Invalid(url: "postgresql://u:\(canary)@h/db?connect_timeout=soon", mentions: "connect_timeout 'soon'"),
        Invalid(url: "postgresql://u:\(canary)@h1,h2/db", mentions: "multiple hosts are not supported yet"),
        Invalid(url: "postgresql://u:\(canary)@h1:5432,h2:5433/db", mentions: "multiple hosts are not supported yet"),
        Invalid(url: "postgresql://u:\(canary)@/db?host=a,b", mentions: "multiple hosts are not supported yet"),
        Invalid(url: "postgresql://u:\(canary)@h/db?port=5432,5433", mentions: "multiple hosts are not supported yet"),
        Invalid(url: "postgresql://u:\(canary)@[::1/db", mentions: "no closing ']'"),
        Invalid(url: "postgresql://u:\(canary)@[]/db", mentions: "IPv6 address between '[' and ']' is empty"),
        Invalid(url: "postgresql://u:\(canary)@[::1]x/db", mentions: "unexpected character after the IPv6 address"),
        Invalid(url: "postgresql://u:\(canary)@[fe80::1%eth0]/db", mentions: "invalid percent-encoded sequence"),
        Invalid(url: "postgresql://u:\(canary)@h/db?sslmode", mentions: "has no '='"),
        Invalid(url: "postgresql://u:\(canary)@h/db?a=b=c", mentions: "more than one '='"),
        Invalid(url: "postgresql://u:\(canary)%zz@h/db", mentions: "the password contains an invalid percent-encoded sequence"),
        Invalid(url: "postgresql://u:\(canary)%00@h/db", mentions: "forbidden percent-encoded value %00"),
        Invalid(url: "postgresql://u:\(canary)@h/db%FF", mentions: "not valid UTF-8"),
        // An unencoded '/' in the password makes libpq read "u" as the host and the password as the port:
        // the message must then not quote the "port".
        Invalid(url: "postgresql://u:\(canary)/x@h:5432/db", mentions: "port is not a number"),
        Invalid(url: "postgresql://u:88888/x@h/db", mentions: "port is out of range"),
    ]

    @Test("rejects malformed URLs without leaking them", arguments: invalid)
    func rejectsInvalidURL(_ invalid: Invalid) {
        let source = "TENANTRY_DATABASE_URL"
        let error = #expect(throws: TenantryError.self) {
            try ConnectionURL(parsing: invalid.url, source: source)
        }
        guard let error else { return }
        #expect(error.kind == .setup)
        #expect(error.exitCode == 2)
        #expect(error.message.contains(source))
        #expect(error.message.contains(invalid.mentions), "message was: \(error.message)")
        #expect(error.hint != nil)
        let everything = error.description
        #expect(!everything.contains(Self.canary), "leaked the password: \(everything)")
        #expect(!everything.contains("88888"), "leaked the password: \(everything)")
        #expect(!everything.contains(invalid.url), "leaked the URL: \(everything)")
    }

    @Test func malformedMessageShape() {
        let error = #expect(throws: TenantryError.self) {
            try ConnectionURL(parsing: "postgresql://u:pw@h:abc/db", source: "TENANTRY_DATABASE_URL")
        }
        #expect(error?.message == "the connection URL from TENANTRY_DATABASE_URL is malformed: port 'abc' is not a number")
        #expect(error?.hint?.contains("postgresql://user@host:5432/database") == true)
    }

    @Test func registersPasswordsWithRedactor() throws {
        let secret = "Zebra-\(UUID().uuidString.prefix(8))"
        let encoded = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        _ = try ConnectionURL(parsing: "postgresql://u:\(encoded)@h/db", source: "t")
        let text = "connecting with \(secret) failed"
        #expect(!Redactor.shared.redact(text).contains(secret))
        #expect(Redactor.shared.redact(text).contains(Redactor.mask))

        let querySecret = "Quokka-\(UUID().uuidString.prefix(8))"
        _ = try ConnectionURL(parsing: "postgresql://h/db?password=\(querySecret)", source: "t")
        #expect(!Redactor.shared.redact("pw=\(querySecret)").contains(querySecret))
    }

    @Test func registersPasswordEvenWhenTheRestFails() {
        let secret = "Walrus-\(UUID().uuidString.prefix(8))"
        #expect(throws: TenantryError.self) {
            try ConnectionURL(parsing: "postgresql://u:\(secret)@h:notaport/db", source: "t")
        }
        #expect(!Redactor.shared.redact("x \(secret) y").contains(secret))
    }

    @Test func usesAnInjectedRedactor() throws {
        let redactor = Redactor()
        _ = try ConnectionURL(parsing: "postgresql://u:local-only-secret@h/db", source: "t", redactor: redactor)
        #expect(redactor.redact("local-only-secret") == Redactor.mask)
    }
}
