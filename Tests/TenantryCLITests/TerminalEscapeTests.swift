import Foundation
import TenantryTestSupport
import Testing

/// Names, tiers and metadata from outside never drive the terminal: escape codes in them are printed escaped.
@Suite("terminal escapes in tenant values")
struct TerminalEscapeTests {
    @Test(TestDatabase.required)
    func listAndShowPrintControlCharactersEscaped() throws {
        let project = try TenantProject(layout: "schema", prefix: "tcli_esc")
        defer { project.cleanUp() }
        #expect(try project.run(["up"]).status == 0)
        let create = try project.run(["tenant", "create", "acme", "--name", "Evil\u{1b}[2J\u{1b}[31mCorp", "--tier", "gold\u{1b}]0;pwned\u{7}",
                                      "--metadata", "note=a\u{9b}b"])
        #expect(create.status == 0, CLI.describe(create))
        for command in [["tenant", "list"], ["tenant", "show", "acme"]] {
            let result = try project.run(command)
            #expect(result.status == 0, CLI.describe(result))
            #expect(!result.stdout.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x07 || $0.value == 0x9b }, "\(command): \(result.stdout.debugDescription)")
            #expect(result.stdout.contains("\\u{1b}"), "\(command): \(result.stdout)")
        }
        let show = try project.run(["tenant", "show", "acme"])
        #expect(show.stdout.contains("Evil\\u{1b}[2J\\u{1b}[31mCorp"), CLI.describe(show))
        #expect(show.stdout.contains("note=a\\u{9b}b"), CLI.describe(show))
    }
}
