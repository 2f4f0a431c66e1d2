import Crypto
import Foundation

/// A SCRAM-SHA-256 password verifier as PostgreSQL stores it (`SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`),
/// computed on the client so the password itself never travels to the server or its log (RFC 5802, RFC 7677).
public struct ScramVerifier: Sendable, Equatable, CustomStringConvertible {
    /// PostgreSQL's default (`scram_iterations`).
    public static let defaultIterations = 4096
    public static let saltBytes = 16
    static let prefix = "SCRAM-SHA-256$"

    public let iterations: Int
    public let salt: [UInt8]
    public let storedKey: [UInt8]
    public let serverKey: [UInt8]

    /// The verifier of `password` for this salt; the password is normalized with SASLprep as PostgreSQL does.
    public init(password: String, salt: [UInt8], iterations: Int = Self.defaultIterations) {
        let salted = Self.pbkdf2(password: SASLprep.normalize(password), salt: salt, iterations: iterations)
        let key = SymmetricKey(data: salted)
        let clientKey = Array(HMAC<SHA256>.authenticationCode(for: Array("Client Key".utf8), using: key))
        self.iterations = iterations
        self.salt = salt
        self.storedKey = Array(SHA256.hash(data: clientKey))
        self.serverKey = Array(HMAC<SHA256>.authenticationCode(for: Array("Server Key".utf8), using: key))
    }

    /// A verifier with a fresh random salt.
    public static func generate(password: String) -> ScramVerifier {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<saltBytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return ScramVerifier(password: password, salt: salt)
    }

    /// Reads a stored verifier; nil for anything else (an MD5 hash, a plain password, garbage).
    public init?(parsing text: String) {
        guard text.hasPrefix(Self.prefix) else { return nil }
        let parts = text.dropFirst(Self.prefix.count).split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let head = parts[0].split(separator: ":", omittingEmptySubsequences: false)
        let keys = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        guard head.count == 2, keys.count == 2, let iterations = Int(head[0]), iterations > 0,
              let salt = Self.decode(head[1]), let stored = Self.decode(keys[0]), let server = Self.decode(keys[1]),
              stored.count == 32, server.count == 32 else { return nil }
        self.iterations = iterations
        self.salt = salt
        self.storedKey = stored
        self.serverKey = server
    }

    /// Whether this verifier was made from `password` (recomputed with its own salt and iteration count).
    public func matches(password: String) -> Bool {
        ScramVerifier(password: password, salt: salt, iterations: iterations) == self
    }

    public var text: String {
        "\(Self.prefix)\(iterations):\(Data(salt).base64EncodedString())$\(Data(storedKey).base64EncodedString()):\(Data(serverKey).base64EncodedString())"
    }

    /// The verifier as an SQL literal; its alphabet always passes `SQLLiteral`'s check.
    public var literal: SQLLiteral { try! SQLLiteral(text) }

    /// What statements shown to a person carry instead of the verifier.
    public static let shown = "'SCRAM-SHA-256$…'"

    public var description: String { Self.shown }

    private static func decode(_ text: Substring) -> [UInt8]? {
        Data(base64Encoded: String(text)).map(Array.init)
    }

    /// PBKDF2-HMAC-SHA256 for one 32-byte block, which is all SCRAM-SHA-256 needs.
    static func pbkdf2(password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        let keyed = HMAC<SHA256>(key: SymmetricKey(data: password))
        var first = keyed
        first.update(data: salt + [0, 0, 0, 1])
        var block = Array(first.finalize())
        var result = block
        for _ in 1..<max(iterations, 1) {
            var next = keyed
            next.update(data: block)
            block = Array(next.finalize())
            for index in result.indices { result[index] ^= block[index] }
        }
        return result
    }
}
