import ArgumentParser
import Foundation
import Logging
import TenantryCore

/// The executable's entry point: parse, set up logging and output, run, map errors to exit codes.
public enum TenantryMain {
    public static func run(arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Never {
        let command: any ParsableCommand
        do {
            command = try TenantryCommand.parseAsRoot(arguments)
        } catch {
            TenantryCommand.exit(withError: error)  // help, version, usage errors (exit 64)
        }
        let options = (command as? any GlobalOptionsProviding)?.global ?? GlobalOptions.defaults
        let output = Output(options: options, environment: ProcessInfo.processInfo.environment)
        bootstrapLogging(level: options.logLevel)
        do {
            var command = command
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(0)
        } catch let error as TenantryError {
            output.report(error)
            exit(error.exitCode)
        } catch let error as ExitCode {
            exit(error.rawValue)
        } catch where String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
            TenantryCommand.exit(withError: error)  // help requested from a command group, CleanExit, usage errors
        } catch {
            output.report(TenantryError.setup(Redactor.shared.redact(String(describing: error))))
            exit(2)
        }
    }

    private static func bootstrapLogging(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = RedactingLogHandler(wrapping: StreamLogHandler.standardError(label: label))
            handler.logLevel = level
            return handler
        }
    }
}
