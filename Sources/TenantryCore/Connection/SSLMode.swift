/// libpq's `sslmode`, with libpq's meaning for each value.
public enum SSLMode: String, Sendable, CaseIterable, Equatable {
    case disable, allow, prefer, require
    case verifyCA = "verify-ca"
    case verifyFull = "verify-full"
}
