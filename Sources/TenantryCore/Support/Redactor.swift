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

    /// Secrets at least this long are masked wherever they appear; shorter ones (the managed server's `dev`) only
    /// where they stand alone, so that `devops` or `local_dev` still print as they are.
    static let anywhereLength = 8

    public func redact(_ text: String) -> String {
        let known = secrets.withLock { $0 }.sorted { $0.count > $1.count }
        var result = text
        for secret in known where result.contains(secret) {
            result = secret.count >= Self.anywhereLength
                ? result.replacingOccurrences(of: secret, with: Self.mask)
                : Self.maskStandalone(secret, in: result)
        }
        return Self.redactURLPasswords(result)
    }

    /// `text` with each occurrence of `secret` masked unless a name character touches it on either side.
    private static func maskStandalone(_ secret: String, in text: String) -> String {
        func continuesName(_ character: Character?) -> Bool {
            guard let character else { return false }
            return character.isLetter || character.isNumber || "_-.".contains(character)
        }
        var result = ""
        var rest = text[...]
        while let found = rest.range(of: secret) {
            let before = found.lowerBound > text.startIndex ? text[text.index(before: found.lowerBound)] : nil
            let after = found.upperBound < text.endIndex ? text[found.upperBound] : nil
            result += rest[..<found.lowerBound]
            result += continuesName(before) || continuesName(after) ? String(rest[found]) : mask
            rest = rest[found.upperBound...]
        }
        return result + rest
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
