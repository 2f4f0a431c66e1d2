import ArgumentParser
import Foundation
import TenantryCLI
import TenantryCore
import TenantryTestSupport
import Testing

@Suite("tenantry --version, --help and usage errors")
struct HelpAndVersionTests {
    /// Every command and subcommand a user can name.
    static let commandPaths: [[String]] = [
        [], ["up"], ["wait"], ["dev"], ["dev", "start"], ["dev", "stop"], ["dev", "status"], ["dev", "url"], ["dev", "destroy"],
    ]

    /// The command type at `path`, found by walking the command tree the executable uses.
    static func command(at path: [String]) -> (any ParsableCommand.Type)? {
        var current: any ParsableCommand.Type = TenantryCommand.self
        for name in path {
            guard let next = current.configuration.subcommands.first(where: {
                ($0.configuration.commandName ?? String(describing: $0).lowercased()) == name
            }) else { return nil }
            current = next
        }
        return current
    }

    @Test func versionPrintsTheVersionAndExitsZero() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let result = try CLI.run(["--version"], in: dir.path)
        #expect(result.status == 0, CLI.describe(result))
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == TenantryVersion.current)
        #expect(result.stdout.range(of: #"^\d+\.\d+\.\d+"#, options: .regularExpression) != nil)
        #expect(result.stderr.isEmpty)
    }

    @Test func theCommandTreeIsTheDocumentedOne() {
        #expect(Self.commandPaths.allSatisfy { Self.command(at: $0) != nil })
        let top = TenantryCommand.configuration.subcommands.map { $0.configuration.commandName ?? String(describing: $0).lowercased() }
        #expect(Set(top).isSuperset(of: ["up", "wait", "dev"]))
    }

    @Test(arguments: commandPaths, ["--help", "-h"])
    func helpWorksEverywhere(path: [String], flag: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let result = try CLI.run(path + [flag], in: dir.path)
        #expect(result.status == 0, CLI.describe(result))
        let command = try #require(Self.command(at: path), "no command at \(path)")
        let abstract = command.configuration.abstract
        #expect(!abstract.isEmpty)
        #expect(CLI.collapsed(result.stdout).contains(CLI.collapsed(abstract)), "help of \(path) lacks its abstract: \(abstract)")
        #expect(result.stdout.contains("USAGE: tenantry" + path.map { " \($0)" }.joined()))
        #expect(CLI.errorLines(result.all).isEmpty, CLI.describe(result))
        // Help never starts or creates anything.
        #expect(!FileManager.default.fileExists(atPath: "\(dir.path)/.tenantry"))
    }

    @Test(arguments: [["help", "up"], ["help", "dev", "start"]])
    func helpSubcommand(arguments: [String]) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let result = try CLI.run(arguments, in: dir.path)
        #expect(result.status == 0, CLI.describe(result))
        let command = try #require(Self.command(at: Array(arguments.dropFirst())))
        #expect(CLI.collapsed(result.stdout).contains(CLI.collapsed(command.configuration.abstract)))
    }

    @Test(arguments: [
        (["--bogus"], "--bogus"),
        (["up", "--bogus"], "--bogus"),
        (["wait", "--no-such-flag"], "--no-such-flag"),
        (["dev", "start", "--bogus"], "--bogus"),
        (["dev", "destroy", "--force"], "--force"),
        (["frobnicate"], "frobnicate"),
        (["dev", "frobnicate"], "frobnicate"),
        (["up", "extra-argument"], "extra-argument"),
    ])
    func unknownFlagOrSubcommandExits64(arguments: [String], named: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let result = try CLI.run(arguments, in: dir.path)
        #expect(result.status == 64, CLI.describe(result))
        #expect(result.stdout.isEmpty, CLI.describe(result))
        let errors = CLI.errorLines(result.stderr)
        #expect(errors.count == 1, CLI.describe(result))
        #expect(errors.first?.contains(named) == true, CLI.describe(result))
        #expect(!FileManager.default.fileExists(atPath: "\(dir.path)/.tenantry"))
    }
}
