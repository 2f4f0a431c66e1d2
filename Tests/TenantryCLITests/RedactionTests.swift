import Foundation
import TenantryTestSupport
import Testing

/// A password handed to Tenantry in any of the ways libpq accepts never reaches stdout or stderr,
/// not even in driver trace logs or JSON.
@Suite("Redaction canary")
struct RedactionTests {
    /// `Qz7x` never occurs in a UUID or a port, so finding it anywhere in the output means a leak.
    static let marker = "Qz7x"
    static let canaries = ["Canary-\(marker)", "Cn@ry:\(marker)/%?&=+ #"]

    enum Source: String, CaseIterable, CustomTestStringConvertible {
        case urlUserInfo, urlQueryParameter, databaseURL, configFile, pgPassword, pgPassFile
        var testDescription: String { rawValue }
    }

    /// The forms the canary could take in output: as given, percent-encoded (two ways), and `.pgpass`-escaped.
    static func forbiddenForms(of canary: String) -> [String] {
        var forms = [canary, marker]
        for allowed in [CharacterSet.alphanumerics, .urlPasswordAllowed, .urlQueryAllowed] {
            if let encoded = canary.addingPercentEncoding(withAllowedCharacters: allowed) { forms.append(encoded) }
        }
        forms.append(canary.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ":", with: "\\:"))
        return forms
    }

    static func encoded(_ canary: String) -> String {
        canary.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    }

    /// Sets up `source` in `dir` and returns the extra arguments and the environment that deliver the canary.
    static func prepare(_ source: Source, canary: String, in dir: TemporaryDirectory) throws -> (arguments: [String], environment: [String: String]) {
        let urlWithPassword = "postgresql://postgres:\(encoded(canary))@127.0.0.1:1/db?connect_timeout=2"
        switch source {
        case .urlUserInfo:
            return (["--url", urlWithPassword], [:])
        case .urlQueryParameter:
            return (["--url", "postgresql://postgres@127.0.0.1:1/db?password=\(encoded(canary))"], [:])
        case .databaseURL:
            return ([], ["DATABASE_URL": urlWithPassword])
        case .configFile:
            try dir.write("tenantry.yml", "master:\n  url: ${SECRET_URL}\n")
            try dir.write(".env", "SECRET_URL=\(urlWithPassword)\n", mode: 0o600)
            return ([], [:])
        case .pgPassword:
            return ([], ["PGHOST": "127.0.0.1", "PGPORT": "1", "PGPASSWORD": canary])
        case .pgPassFile:
            let escaped = canary.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ":", with: "\\:")
            try dir.write(".pgpass", "# test\n127.0.0.1:1:*:*:\(escaped)\n", mode: 0o600)
            return ([], ["PGHOST": "127.0.0.1", "PGPORT": "1", "HOME": dir.path])
        }
    }

    @Test(arguments: Source.allCases, canaries)
    func failingCommandsNeverPrintThePassword(source: Source, canary: String) throws {
        let dir = try TemporaryDirectory("tenantry-cli-canary")
        defer { dir.remove() }
        let (arguments, environment) = try Self.prepare(source, canary: canary, in: dir)
        for command in [["up"], ["wait", "--timeout", "1"]] {
            for mode in [["-vv"], ["--json"], ["--json", "-vv"], []] {
                let result = try CLI.run(command + mode + arguments, in: dir.path, environment: environment, timeout: 60)
                let what = "\(command + mode) with the password in \(source)"
                #expect(result.status == 2, "\(what)\n\(CLI.describe(result))")
                // The command really used the configured server (so the password was in play) and failed there.
                #expect(result.stderr.contains("127.0.0.1:1"), "\(what)\n\(CLI.describe(result))")
                #expect(CLI.errorLines(result.stderr).count == 1, "\(what)\n\(CLI.describe(result))")
                for form in Self.forbiddenForms(of: canary) {
                    #expect(!result.stdout.contains(form), "\(what): stdout contains \(form)\n\(CLI.describe(result))")
                    #expect(!result.stderr.contains(form), "\(what): stderr contains \(form)\n\(CLI.describe(result))")
                }
                if mode.contains("-vv") && command.first == "wait" {
                    // wait logs each failed attempt at debug level: proof that logging was on.
                    #expect(result.stderr.contains(" debug "), "-vv shows logs: \(what)\n\(CLI.describe(result))")
                }
                #expect(!FileManager.default.fileExists(atPath: "\(dir.path)/.tenantry"), "the managed server must not be used: \(what)")
            }
        }
    }

    /// On a successful connection the driver traces the whole startup exchange; the password must still not show.
    @Test(TestDatabase.required, arguments: canaries)
    func driverTracesOnASuccessfulConnectionNeverPrintThePassword(canary: String) throws {
        let url = try TestServer.url(database: "postgres", password: canary)
        let dir = try TemporaryDirectory("tenantry-cli-canary")
        defer { dir.remove() }
        for command in [["wait", "-vv"], ["up", "-vv"], ["up", "--json"], ["wait", "--json", "-vv"]] {
            let result = try CLI.run(command + ["--url", url], in: dir.path)
            #expect(result.status == 0, CLI.describe(result))
            if command.contains("-vv") {
                #expect(result.stderr.contains(" trace "), "driver traces expected with -vv\n\(CLI.describe(result))")
            }
            for form in Self.forbiddenForms(of: canary) {
                #expect(!result.all.contains(form), "\(command) printed \(form)\n\(CLI.describe(result))")
            }
        }
    }

    @Test func worldReadablePgPassIsIgnoredWithAWarning() throws {
        let dir = try TemporaryDirectory("tenantry-cli-canary")
        defer { dir.remove() }
        let file = try dir.write(".pgpass", "127.0.0.1:1:*:*:Canary-\(Self.marker)\n", mode: 0o644)
        let environment = ["PGHOST": "127.0.0.1", "PGPORT": "1", "HOME": dir.path]
        for command in [["up"], ["wait", "--timeout", "1"], ["up", "--json"]] {
            let result = try CLI.run(command, in: dir.path, environment: environment)
            #expect(result.status == 2, CLI.describe(result))
            let warnings = result.stderr.split(separator: "\n").filter { $0.hasPrefix("warning:") }
            #expect(warnings.count == 1, CLI.describe(result))
            let warning = String(warnings.first ?? "")
            #expect(warning.contains(file), CLI.describe(result))
            #expect(warning.contains("chmod 0600"), CLI.describe(result))
            #expect(!result.all.contains(Self.marker), CLI.describe(result))
        }

        // With 0600 the same file is used silently.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        let result = try CLI.run(["up"], in: dir.path, environment: environment)
        #expect(result.status == 2, CLI.describe(result))
        #expect(!result.stderr.contains("warning:"), CLI.describe(result))
        #expect(!result.all.contains(Self.marker), CLI.describe(result))
    }

    /// A user who forgets to percent-encode `@` in the password is told so, and no part of the password is printed.
    @Test func unencodedAtSignInPasswordDoesNotLeakItsTail() throws {
        let dir = try TemporaryDirectory("tenantry-cli-canary")
        defer { dir.remove() }
        let result = try CLI.run(["up", "--url", "postgresql://postgres:Canary@\(Self.marker)@127.0.0.1:1/db"], in: dir.path)
        #expect(result.status == 2, CLI.describe(result))
        #expect(result.stderr.contains("%40"), CLI.describe(result))
        #expect(!result.all.contains(Self.marker), CLI.describe(result))
        #expect(!result.all.contains("Canary"), CLI.describe(result))
    }
}

extension RedactionTests {
    /// The managed server's credentials are `local_dev`/`dev`: text that merely contains the password is not a secret.
    @Test(TestDatabase.required)
    func aShortPasswordDoesNotMaskOrdinaryNames() throws {
        let project = try TenantProject(layout: "schema", prefix: "tcli_short")
        defer { project.cleanUp() }
        let url = try TestServer.url(database: project.master, password: "dev")
        #expect(try CLI.run(["up", "--url", url], in: project.path).status == 0)
        let create = try CLI.run(["tenant", "create", "devops", "--url", url], in: project.path)
        #expect(create.status == 0, CLI.describe(create))
        let list = try CLI.run(["tenant", "list", "--url", url], in: project.path)
        #expect(list.stdout.contains("devops") && !list.stdout.contains("*****ops"), CLI.describe(list))
        let env = try CLI.run(["env", "show", "--url", url], in: project.path)
        #expect(!(env.stdout + env.stderr).contains(":dev@"), "the password itself stays masked: \(CLI.describe(env))")
    }
}
