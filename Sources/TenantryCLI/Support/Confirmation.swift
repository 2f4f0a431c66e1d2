import Foundation
import TenantryCore

/// Typed confirmation for destructive commands; refuses when nobody is at a terminal to answer.
enum Confirmation {
    static func require(prompt: String, answer: String, flag: String) throws(TenantryError) {
        guard isatty(STDIN_FILENO) == 1 else {
            throw .usage("this command destroys data and there is no terminal to confirm it", hint: "pass \(flag) to proceed")
        }
        FileHandle.standardError.write(Data(prompt.utf8))
        guard let line = readLine(), line.trimmingCharacters(in: .whitespaces) == answer else {
            throw .setup("not confirmed; nothing was changed")
        }
    }
}
