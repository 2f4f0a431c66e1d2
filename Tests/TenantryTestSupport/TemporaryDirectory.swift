import Foundation

/// A fresh folder under /tmp, readable by the `postgres` system user (tests run as root in CI, and the
/// managed cluster then runs as postgres).
public struct TemporaryDirectory: Sendable {
    public let path: String

    public init(_ prefix: String = "tenantry-test") throws {
        path = "/tmp/\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
    }

    @discardableResult
    public func write(_ name: String, _ contents: String, mode: Int = 0o644) throws -> String {
        let file = "\(path)/\(name)"
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try contents.write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file)
        return file
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
