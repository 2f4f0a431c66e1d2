import Foundation
import TenantryCore

/// Runs the PostgreSQL server programs, as the `postgres` system user when we are root
/// (the server refuses to run as root).
struct ProcessRunner: Sendable {
    struct Output: Sendable {
        var status: Int32
        var text: String
    }

    /// The system user the cluster runs as, or nil to run as ourselves.
    let runAsUser: String?

    static func forCurrentUser() -> ProcessRunner {
        ProcessRunner(runAsUser: geteuid() == 0 ? "postgres" : nil)
    }

    /// - Parameter environment: the child's whole environment; nil inherits ours.
    func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws(TenantryError) -> Output {
        let command = runAsUser.map { [Self.runuser, "-u", $0, "--", executable] } ?? [executable]
        // Output goes to a file, not a pipe: a server child that kept a pipe open would hang us.
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("tenantry-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let status = try Self.spawnAndWait(command + arguments, outputPath: outputPath, environment: environment)
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return Output(status: status, text: text)
    }

    /// posix_spawn + waitpid: Foundation's Process can miss the exit of a child whose own child
    /// (the server that pg_ctl starts) lives on, and then waits forever.
    private static func spawnAndWait(_ argv: [String], outputPath: String, environment: [String: String]?) throws(TenantryError) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        markInheritableDescriptorsCloseOnExec()
        var pid = pid_t()
        var cEnvironment = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { cEnvironment?.forEach { free($0) } }
        let spawned = cEnvironment == nil
            ? posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
            : posix_spawn(&pid, argv[0], &actions, nil, &cArguments, &cEnvironment!)
        guard spawned == 0 else {
            throw .setup("cannot run \(argv[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw .setup("lost track of \(argv[0]) (errno \(errno))") }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import as macros.
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// The server that `pg_ctl start` leaves running must not hold our descriptors (or our caller's): a
    /// daemon keeping a pipe or an exit-notification socket open makes whoever waits on it wait forever.
    private static func markInheritableDescriptorsCloseOnExec() {
        #if os(Linux)
        let descriptors = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
        #else
        let descriptors = Array(3..<Int32(min(getdtablesize(), 4096)))
        #endif
        for descriptor in descriptors where descriptor > 2 {
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    static let runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"]
        .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/sbin/runuser"

    /// Makes `path` belong to the cluster's user, so the server can write there.
    func giveOwnership(of path: String) throws(TenantryError) {
        guard let user = runAsUser else { return }
        guard let entry = getpwnam(user) else {
            throw .setup("Tenantry runs as root, and PostgreSQL refuses to run as root; there is no '\(user)' system user to run it as",
                         hint: "create one (`useradd --system \(user)`), or run tenantry as an ordinary user")
        }
        guard chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
            throw .setup("cannot give \(path) to the \(user) user (errno \(errno))")
        }
    }
}
