import Foundation
import TenantryTestSupport
import Testing

/// Colors only on a terminal, never with NO_COLOR or TERM=dumb.
@Suite("Colors and NO_COLOR")
struct ColorTests {
    /// Commands that print errors, warnings, usage errors, help and results.
    static func scenarios(in dir: TemporaryDirectory) throws -> [(arguments: [String], environment: [String: String])] {
        try dir.write(".pgpass", "127.0.0.1:1:*:*:secret\n", mode: 0o644)  // a warning to print
        return [
            (["up", "--url", "postgresql://u@h:notaport/db"], [:]),
            (["up", "--quiet", "-v"], [:]),
            (["frobnicate"], [:]),
            (["up"], ["PGHOST": "127.0.0.1", "PGPORT": "1", "HOME": dir.path]),  // warning + error
            (["wait", "--timeout", "1", "-v", "--url", CLI.deadURL], [:]),  // debug logs + error
            (["--help"], [:]),
            (["dev", "status"], [:]),
            (["dev", "status", "--json"], [:]),
        ]
    }

    @Test(arguments: [
        ["TERM": "xterm-256color"],
        ["TERM": "xterm-256color", "NO_COLOR": "1"],
        ["TERM": "xterm-256color", "CLICOLOR_FORCE": "1", "FORCE_COLOR": "1"],
        [:],
    ])
    func noEscapesWhenNotOnATerminal(environment: [String: String]) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for scenario in try Self.scenarios(in: dir) {
            let env = scenario.environment.merging(environment) { _, new in new }
            let result = try CLI.run(scenario.arguments, in: dir.path, environment: env, timeout: 30)
            #expect(!result.all.isEmpty, "\(scenario.arguments) printed nothing")
            #expect(!result.stdout.contains(CLI.escape), "\(scenario.arguments) \(env): ANSI escape on stdout\n\(CLI.describe(result))")
            #expect(!result.stderr.contains(CLI.escape), "\(scenario.arguments) \(env): ANSI escape on stderr\n\(CLI.describe(result))")
        }
    }

    static var script: String? { ExternalProgram.locate("script") }

    /// Under a pseudo-terminal (util-linux `script`), errors are colored unless NO_COLOR or TERM=dumb says no.
    /// This shows that the absence of escapes above is due to the missing terminal, not to colors never working.
    @Test(.enabled(if: script != nil, "util-linux script is not installed"), arguments: [
        (["TERM": "xterm-256color"], true),
        (["TERM": "xterm-256color", "NO_COLOR": "1"], false),
        (["TERM": "xterm-256color", "NO_COLOR": "true"], false),
        (["TERM": "dumb"], false),
    ])
    func colorsOnATerminalFollowNoColor(environment: [String: String], colored: Bool) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let command = "'\(TenantryBinary.path)' up --url 'postgresql://u@h:notaport/db'"
        var env = environment
        env["HOME"] = dir.path
        env["SHELL"] = "/bin/sh"
        let output = try ExternalProgram.run(try #require(Self.script), ["-qec", command, "/dev/null"], environment: env, in: dir.path)
        #expect(output.status == 2, "exit \(output.status): \(output.stdout) \(output.stderr)")
        #expect(output.stdout.contains("error:"), "\(output.stdout)")
        #expect(output.stdout.contains(CLI.escape) == colored, "colored should be \(colored) with \(environment): \(output.stdout.debugDescription)")
    }
}
