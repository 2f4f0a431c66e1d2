import Foundation
import Synchronization
import TenantryCore

/// Results to stdout (plain or JSON), notes and errors to stderr; colors only on a terminal and never with NO_COLOR.
struct Output: Sendable {
    let json: Bool
    let quiet: Bool
    let colorsOnStdout: Bool
    let colorsOnStderr: Bool
    /// A step of a bigger command (`preview create` running `up`): its JSON is not the command's document.
    var isStep = false

    init(options: GlobalOptions, environment: [String: String]) {
        json = options.json
        quiet = options.quiet
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        let colorAllowed = !noColor && environment["TERM"] != "dumb"
        colorsOnStdout = colorAllowed && isatty(STDOUT_FILENO) == 1
        colorsOnStderr = colorAllowed && isatty(STDERR_FILENO) == 1
    }

    enum Style: String {
        case bold = "1", red = "31", green = "32", yellow = "33", blue = "34", dim = "2"
    }

    /// A line of the command's result (suppressed with --json: the JSON document is the result).
    func result(_ text: String) {
        guard !json else { return }
        write(Redactor.shared.redact(text) + "\n", to: FileHandle.standardOutput)
    }

    func emitJSON<Value: Encodable>(_ value: Value) {
        guard json, !isStep else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) else { return }
        write(Redactor.shared.redact(text) + "\n", to: FileHandle.standardOutput)
        Self.documentWritten.withLock { $0 = true }
    }

    /// stdout carries one JSON document: a command that reported before failing keeps its report, and the
    /// error goes to stderr only.
    private static let documentWritten = Mutex(false)

    /// Progress and remarks for a person; stderr, silenced by --quiet.
    func note(_ text: String) {
        guard !quiet else { return }
        write(Redactor.shared.redact(text) + "\n", to: FileHandle.standardError)
    }

    func warning(_ text: String) {
        write(paint("warning: ", .yellow, stderr: true) + TerminalText.safe(Redactor.shared.redact(text), keepingNewlines: true) + "\n",
              to: FileHandle.standardError)
    }

    func report(_ error: TenantryError) {
        if json && !Self.documentWritten.withLock({ $0 }) { emitJSON(ErrorReport(error: error)) }
        var text = paint("error: ", .red, stderr: true) + TerminalText.safe(Redactor.shared.redact(error.message), keepingNewlines: true) + "\n"
        if let hint = error.hint {
            text += paint("  hint: ", .dim, stderr: true) + TerminalText.safe(Redactor.shared.redact(hint), keepingNewlines: true) + "\n"
        }
        write(text, to: FileHandle.standardError)
    }

    func paint(_ text: String, _ style: Style, stderr: Bool = false) -> String {
        guard stderr ? colorsOnStderr : colorsOnStdout else { return text }
        return "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m"
    }

    /// A reader that went away (`tenantry up | head -1`) must not crash the work half-way: the text is dropped.
    private func write(_ text: String, to handle: FileHandle) {
        try? handle.write(contentsOf: Data(text.utf8))
    }
}

/// `--json` on failure: the error on stdout too, so a script reading JSON always gets a document.
struct ErrorReport: Encodable {
    struct Body: Encodable {
        var message: String
        var hint: String?
        var exitCode: Int32
    }

    var error: Body

    init(error: TenantryError) {
        self.error = Body(message: error.message, hint: error.hint, exitCode: error.exitCode)
    }
}
