import Foundation

/// A program started with posix_spawn and reaped with waitpid.
///
/// Foundation's `Process.run()` crashed (SIGSEGV in memcpy) when many tests started programs at once, so the
/// tests start theirs this way: output to files, stdin from a file or /dev/null, a timeout that ends in SIGTERM.
public final class ChildProcess {
    public let pid: pid_t
    private let stdoutPath: String
    private let stderrPath: String
    private var waitStatus: Int32?

    /// - Parameter directory: the working directory (set through `sh -c 'cd …'`, the portable way with posix_spawn).
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String], directory: String? = nil,
        stdinPath: String? = nil
    ) throws {
        let scratch = "\(NSTemporaryDirectory())/tenantry-child-\(UUID().uuidString)"
        stdoutPath = "\(scratch).out"
        stderrPath = "\(scratch).err"
        var argv = [executable] + arguments
        if let directory {
            argv = ["/bin/sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "sh", directory] + argv
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdinPath ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var cArguments = argv.map { strdup($0) } + [nil]
        var cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid = pid_t()
        let result = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, &cEnvironment)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL) }
        self.pid = pid
    }

    deinit {
        if isRunning {
            Foundation.kill(pid, SIGKILL)
            _ = reap(blocking: true)
        }
        try? FileManager.default.removeItem(atPath: stdoutPath)
        try? FileManager.default.removeItem(atPath: stderrPath)
    }

    public var isRunning: Bool {
        waitStatus == nil && !reap(blocking: false)
    }

    public func kill(_ signal: Int32 = SIGKILL) {
        Foundation.kill(pid, signal)
    }

    /// Waits until the program ends, sending SIGTERM after `timeout` seconds, and SIGKILL 5 seconds later (a
    /// fleet run treats its first SIGTERM as "finish what is in flight"): a stuck program never hangs the tests.
    @discardableResult
    public func wait(timeout: TimeInterval = 120) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning && Date() < deadline { usleep(10_000) }
        if isRunning {
            kill(SIGTERM)
            let grace = Date().addingTimeInterval(5)
            while isRunning && Date() < grace { usleep(10_000) }
        }
        if isRunning {
            kill(SIGKILL)
            _ = reap(blocking: true)
        }
        return status
    }

    /// The exit code, or 128 + the signal for a program ended by a signal (as shells report it).
    public var status: Int32 {
        guard let waitStatus else { return -1 }
        return wasSignaled ? 128 + (waitStatus & 0x7F) : (waitStatus >> 8) & 0xFF
    }

    public var wasSignaled: Bool {
        guard let waitStatus else { return false }
        return (waitStatus & 0x7F) != 0
    }

    public var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Collects the exit status; true once the program has ended.
    private func reap(blocking: Bool) -> Bool {
        if waitStatus != nil { return true }
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, blocking ? 0 : WNOHANG)
            if result == pid {
                waitStatus = status
                return true
            }
            if result == 0 { return false }
            if errno != EINTR { return true }
        }
    }
}
