import NIOCore
import NIOPosix

/// One event loop thread for all of Tenantry's connections, which is also the executor of the fleet's tasks
/// (`withTaskExecutorPreference`): a query's reply resumes the task that sent it on the thread that read it, with
/// no hop to Swift's cooperative pool and back. A fleet run sends thousands of short queries; the client's own
/// work per query is small, and on a small machine the server needs the other cores.
public final class ClientLoop: TaskExecutor, @unchecked Sendable {
    public static let shared = ClientLoop()

    public let eventLoop: any EventLoop

    private init() {
        eventLoop = MultiThreadedEventLoopGroup.singleton.next()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
