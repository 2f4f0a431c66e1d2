import Foundation
import TenantryCore

/// An exclusive `flock` on a file, so two tenantry processes never init or start the same cluster at once.
struct FileLock {
    static func withLock<T>(at path: String, _ body: () async throws -> T) async throws -> T {
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw TenantryError.setup("cannot open the lock file \(path) (errno \(errno))", hint: "check the permissions of the project folder")
        }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX) == 0 else {
            throw TenantryError.setup("cannot lock \(path) (errno \(errno))")
        }
        defer { flock(descriptor, LOCK_UN) }
        return try await body()
    }
}
