import Dispatch
import Foundation
import Synchronization

/// SIGINT and SIGTERM during fleet work: the first asks the runner to stop scheduling (in-flight tenants
/// finish and are recorded); a second one exits at once.
///
/// Unchecked: the dispatch sources are set once in `init` and only cancelled in `restore`.
final class StopSignal: @unchecked Sendable {
    private let requested = Atomic(false)
    private var sources: [DispatchSourceSignal] = []

    init(onFirst: @escaping @Sendable (Int32) -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                if requested.exchange(true, ordering: .sequentiallyConsistent) { exit(2) }
                onFirst(number)
            }
            source.resume()
            sources.append(source)
        }
    }

    var isRequested: Bool { requested.load(ordering: .sequentiallyConsistent) }

    /// Back to the default handlers once the fleet work is over.
    func restore() {
        for source in sources { source.cancel() }
        sources.removeAll()
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
