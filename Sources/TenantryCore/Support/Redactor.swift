import Foundation
import Synchronization

/// Masks known secrets in any text before it is printed or logged.
///
/// Every password Tenantry learns (from a URL, `PGPASSWORD`, `.pgpass`, the managed server) is registered
/// here, so even a message built by a dependency cannot leak it.
public final class Redactor: Sendable {
    public static let shared = Redactor()
    public static let mask = "*****"
    /// RFC 3986 unreserved characters: what a URL leaves as is (`.alphanumerics` would also keep non-ASCII letters).
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private let secrets = Mutex<Set<String>>([])

    public init() {}

    /// Registers a secret, plus its percent-encoded form, which is how it appears inside URLs.
    public func register(_ secret: String?) {
        guard let secret, secret.count >= 3 else { return }
        secrets.withLock { set in
            set.insert(secret)
            if let encoded = secret.addingPercentEncoding(withAllowedCharacters: Self.unreserved), encoded != secret {
                set.insert(encoded)
            }
        }
    }

    public func redact(_ text: String) -> String {
        let known = secrets.withLock { $0 }.sorted { $0.count > $1.count }
        var result = text
        for secret in known where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: Self.mask)
        }
        return Self.redactURLPasswords(result)
    }

    /// Masks the password part of anything shaped like `scheme://user:password@host`, known or not.
    public static func redactURLPasswords(_ text: String) -> String {
        guard text.contains("://") else { return text }
        // Greedy up to the last '@' before a '/': an unencoded '@' inside the password is masked too.
        let pattern = #"([A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*):([^\s/]*)@"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return text }
        let range = NSRange(text.startIndex..., in: text)
        return regex.stringByReplacingMatches(in: text, range: range, withTemplate: "$1:\(mask)@")
    }
}
