import Crypto
import Foundation

/// The database names of a branch's preview: `feature/user-dashboard` on master database `app` gives
/// `feature_user_dashboard_app`. Names are safe identifiers (a-z, 0-9, `_`), at most 63 bytes, and never shared by
/// two branches: a branch whose plain name is taken by another branch, or that had to be shortened, gets 6 hex
/// digits of its SHA-256 (`feature_user_da_3fa1c2_app`).
public struct PreviewName: Sendable, Equatable {
    /// The branch as given (`feature/user-dashboard`).
    public let branch: String
    /// The branch's part of every name (`feature_user_dashboard`, maybe with a hash).
    public let prefix: String
    /// The preview's master database.
    public let master: String

    /// - Parameter taken: previews that exist already, master database name → branch.
    public init(branch: String, base: String, taken: [String: String] = [:]) throws(TenantryError) {
        let trimmed = branch.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw .usage("the branch name is empty", hint: "pass --branch NAME, or run inside a git checkout on a branch")
        }
        // Room for `_` + base; tenant databases add their own pattern after the prefix, checked by TenantNaming.
        let room = SQLIdentifier.maxBytes - 1 - base.utf8.count
        guard room >= 12 else {
            throw .setup("the master database name '\(base)' is too long to derive preview names from (\(base.utf8.count) bytes)",
                         hint: "use a master database name of at most 50 bytes")
        }
        let plain = Self.sanitize(trimmed)
        let hashed = String(plain.prefix(room - 7)).trimmingUnderscores + "_" + Self.hash(trimmed)
        var prefix = plain.utf8.count <= room ? plain : hashed
        if let owner = taken["\(prefix)_\(base)"], owner != trimmed { prefix = hashed }
        self.branch = trimmed
        self.prefix = prefix
        self.master = "\(prefix)_\(base)"
    }

    /// An existing preview, from its master database's name (its prefix may carry a hash).
    public init(existing database: String, branch: String, base: String) {
        self.branch = branch
        self.master = database
        self.prefix = database.hasSuffix("_\(base)") ? String(database.dropLast(base.count + 1)) : database
    }

    /// Lower-case ASCII letters and digits; every other run of characters becomes one `_`; never starts with a digit.
    public static func sanitize(_ branch: String) -> String {
        var out = ""
        for scalar in branch.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else if !out.hasSuffix("_") {
                out += "_"
            }
        }
        out = out.trimmingUnderscores
        if out.isEmpty { return "branch" }
        return out.first!.isNumber ? "b_" + out : out
    }

    static func hash(_ branch: String) -> String {
        SHA256.hash(data: Data(branch.utf8)).prefix(3).map { String(format: "%02x", $0) }.joined()
    }
}

private extension String {
    var trimmingUnderscores: String {
        var text = Substring(self)
        while text.hasPrefix("_") { text = text.dropFirst() }
        while text.hasSuffix("_") { text = text.dropLast() }
        return String(text)
    }
}
