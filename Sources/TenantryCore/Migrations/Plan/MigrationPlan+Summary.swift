extension MigrationPlan {
    /// Counts for `status`: one line per target, and the state `status --check` turns into an exit code.
    public struct Summary: Sendable, Equatable, CustomStringConvertible {
        public enum State: String, Sendable {
            case upToDate = "up-to-date"
            case pending
            /// A no-transaction migration stopped part way (and nothing else is wrong).
            case partial
            /// A problem other than a partial migration stops runs.
            case blocked
        }

        /// Complete history rows, baseline included.
        public var applied: Int
        public var pending: Int
        public var partial: Int
        public var problems: Int
        public var current: MigrationVersion?
        public var state: State

        public var description: String {
            var parts = ["\(applied) applied", "\(pending) pending"]
            if partial > 0 { parts.append("\(partial) partial") }
            if problems > 0 { parts.append(problems == 1 ? "1 problem" : "\(problems) problems") }
            return "\(state.rawValue): " + parts.joined(separator: ", ") + " (current \(current?.text ?? "none"))"
        }
    }

    public var summary: Summary {
        let partialCount = applied.count { $0.isPartial || $0.revertProgress != nil }
        let blocking = problems.contains { !$0.isPartial }
        let state: Summary.State =
            if blocking { .blocked } else if partialCount > 0 { .partial } else if !pending.isEmpty { .pending } else { .upToDate }
        return Summary(
            applied: applied.count - partialCount, pending: pending.count, partial: partialCount,
            problems: problems.count, current: current, state: state)
    }
}
