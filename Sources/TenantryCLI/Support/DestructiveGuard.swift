import ArgumentParser
import Foundation
import TenantryCore

/// `--yes` and `--dry-run` of every command that drops or reverts something.
struct DestructiveOptions: ParsableArguments, Sendable {
    @Flag(help: "Do not ask for confirmation: needed without a terminal, and in a guarded environment always.")
    var yes = false

    @Flag(name: .customLong("dry-run"), help: "Print what would be dropped or reverted, and change nothing.")
    var dryRun = false
}

/// The one gate before destruction. Unguarded: a typed confirmation on a terminal unless `--yes`. Guarded
/// (`guard: true` in the selected environment): the plan is always printed first, `--yes` is required, and on a
/// terminal the environment's name must be typed as well. `--dry-run` prints the plan and stops everywhere.
struct DestructiveGuard {
    let context: CommandContext
    let options: DestructiveOptions
    /// The command as the user typed it, for messages: `down`, `tenant drop`.
    let command: String

    /// Whether to go on: false after a dry run. Throws, with nothing changed, when not confirmed.
    func allows(plan: [String], confirmation: (prompt: String, answer: String)) throws(TenantryError) -> Bool {
        let output = context.output
        let config = context.project.config
        let listing = plan.isEmpty ? "  (nothing)" : plan.map { "  - \($0)" }.joined(separator: "\n")
        if options.dryRun {
            output.result("Dry run of `tenantry \(command)`\(scope(config)); it would:\n\(listing)")
            output.result("Nothing was changed.")
            output.emitJSON(DryRunReport(command: command, environment: config.environmentName, plan: plan))
            return false
        }
        guard config.isGuarded else {
            if !options.yes {
                output.note("`tenantry \(command)` will:\n\(listing)")
                try Confirmation.require(prompt: confirmation.prompt, answer: confirmation.answer, flag: "--yes")
            }
            return true
        }
        let environment = config.environmentName ?? "(the file's top level)"
        output.note("`tenantry \(command)` in guarded environment \(environment) will:\n\(listing)")
        guard options.yes else {
            throw .usage("environment \(environment) is guarded: `tenantry \(command)` needs --yes; nothing was changed",
                         hint: "check the plan with --dry-run; then pass --yes (on a terminal you also type the environment's name)")
        }
        if isatty(STDIN_FILENO) == 1 {
            let answer = config.environmentName ?? command
            try Confirmation.require(prompt: "Type '\(answer)' to confirm this runs in a guarded environment: ",
                                     answer: answer, flag: "--yes")
        }
        return true
    }

    private func scope(_ config: Config) -> String {
        config.environmentName.map { " in environment \($0)\(config.isGuarded ? " (guarded)" : "")" } ?? ""
    }
}

/// `--dry-run --json`: the plan, machine-readable.
private struct DryRunReport: Encodable {
    let dryRun = true
    let command: String
    let environment: String?
    let plan: [String]

    enum CodingKeys: String, CodingKey {
        case dryRun = "dry_run", command, environment, plan
    }
}
