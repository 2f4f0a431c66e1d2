import Foundation
import Synchronization
import TenantryCore
import TenantryPostgres

/// What a person (and a script) sees of a fleet run while it goes: a progress line on a terminal (done, failed,
/// remaining, rate, ETA), a line per failure, and with `--events FILE` one JSON line per finished tenant.
final class FleetProgress: Sendable {
    private struct State {
        var done = 0
        var failed = 0
        var lastDraw = Date.distantPast
        var lineShown = false
    }

    private let output: Output
    private let run: Int64
    private let total: Int
    private let started = Date()
    private let drawBar: Bool
    private let events: FileHandle?
    private let state = Mutex(State())

    init(output: Output, run: Int64, total: Int, eventsFile: String?) throws(TenantryError) {
        self.output = output
        self.run = run
        self.total = total
        drawBar = isatty(STDERR_FILENO) == 1 && !output.quiet && !output.json
        if let eventsFile {
            guard FileManager.default.createFile(atPath: eventsFile, contents: nil), let handle = FileHandle(forWritingAtPath: eventsFile) else {
                throw .usage("cannot write the events file \(eventsFile)", hint: "check that its folder exists and is writable")
            }
            events = handle
        } else {
            events = nil
        }
    }

    func handle(_ event: FleetRunner.Event) {
        switch event {
        case .started:
            break
        case .finished(let tenant, let outcome):
            record(tenant: tenant, status: "succeeded", outcome: outcome, error: nil)
        case .failed(let tenant, let error):
            let failures = record(tenant: tenant, status: "failed", outcome: nil, error: error)
            // On a terminal, the first few as they happen; the summary lists them all (in a log, only the summary,
            // so each error is printed once).
            guard drawBar, failures <= Self.failuresShown else { return }
            clearLine()
            output.warning("\(tenant) failed: \(error.message.split(separator: "\n").first ?? "")"
                           + (failures == Self.failuresShown ? " (further failures only in the summary)" : ""))
        case .retrying(let tenant, let attempt, let limit, let delay, let error):
            writeEvent(tenant: tenant, status: "retrying", outcome: nil, error: error)
            clearLine()
            output.note("\(tenant): \(error.message.split(separator: "\n").first ?? ""); trying again in \(delay) (retry \(attempt) of \(limit))")
        case .stopping(let reason):
            clearLine()
            output.note("Stopping: \(reason)")
        }
    }

    /// Removes the progress line before the final summary.
    func finish() {
        clearLine()
        try? events?.close()
    }

    static let failuresShown = 10

    /// Returns the number of failures so far.
    @discardableResult
    private func record(tenant: String, status: String, outcome: FleetRun.Outcome?, error: TenantryError?) -> Int {
        writeEvent(tenant: tenant, status: status, outcome: outcome, error: error)
        return state.withLock { state in
            state.done += 1
            if error != nil { state.failed += 1 }
            guard drawBar, Date().timeIntervalSince(state.lastDraw) > 0.1 || state.done == total else { return state.failed }
            state.lastDraw = Date()
            state.lineShown = true
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + bar(state)).utf8))
            return state.failed
        }
    }

    /// One `--events` line (the progress line is not touched).
    func writeEvent(tenant: String, status: String, outcome: FleetRun.Outcome?, error: TenantryError?) {
        guard let events else { return }
        let line = EventLine(run: run, tenant: tenant, status: status, versionBefore: outcome?.versionBefore,
                             versionAfter: outcome?.versionAfter, applied: outcome?.applied, error: error?.message,
                             sqlstate: error?.sqlState, at: Date())
        guard let data = try? Self.encoder.encode(line) else { return }
        state.withLock { _ in events.write(data + Data("\n".utf8)) }
    }

    private func bar(_ state: State) -> String {
        let width = 24
        let filled = total == 0 ? width : width * state.done / total
        let elapsed = max(Date().timeIntervalSince(started), 0.001)
        let rate = Double(state.done) / elapsed
        let remaining = total - state.done
        let eta = rate > 0 ? Int((Double(remaining) / rate).rounded()) : 0
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            + "\(state.done - state.failed) done, \(state.failed) failed, \(remaining) left · \(String(format: "%.1f", rate))/s · ETA \(eta)s"
    }

    private func clearLine() {
        state.withLock { state in
            guard state.lineShown else { return }
            FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
            state.lineShown = false
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    struct EventLine: Encodable {
        var run: Int64
        var tenant: String
        var status: String
        var versionBefore: String?
        var versionAfter: String?
        var applied: Int?
        var error: String?
        var sqlstate: String?
        var at: Date
    }
}
