import Foundation
import TenantryCore
import TenantryPostgres

/// What the preview commands share: the branch, the names, and the settings a preview runs with.
enum PreviewSupport {
    /// `--branch`, else the git checkout's branch, else the CI's variables for it.
    static func branch(_ option: String?, context: CommandContext) throws(TenantryError) -> String {
        if let option { return option }
        if let branch = gitBranch(in: context.project.root) { return branch }
        for variable in ["GITHUB_HEAD_REF", "GITHUB_REF_NAME", "CI_COMMIT_REF_NAME"] {
            if let value = context.project.environment[variable], !value.isEmpty { return value }
        }
        throw .usage("cannot tell the branch: \(context.project.root) is not a git checkout on a branch",
                     hint: "pass --branch NAME")
    }

    /// The current branch, or nil (no git, not a checkout, or a detached HEAD).
    static func gitBranch(in directory: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory, "symbolic-ref", "--quiet", "--short", "HEAD"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let branch = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return branch.isEmpty ? nil : branch
    }

    /// The project's settings pointed at the preview: its master database, tenant databases prefixed with the
    /// branch (database layout), clones of the project's own template. `destroying` leaves the template alone.
    static func config(for name: PreviewName, base: String, context: CommandContext, destroying: Bool = false) -> Config {
        var config = context.project.config
        config.master.database = name.master
        if config.layout == .database { config.tenants.naming = "\(name.prefix)_\(config.tenants.naming)" }
        // A template schema lives in the project's master database, not in the preview's.
        if config.tenants.provision == .template && config.layout == .schema { config.tenants.provision = .migrations }
        if config.tenants.provision == .template {
            config.tenants.template = config.tenants.template ?? "\(base.prefix(SQLIdentifier.maxBytes - 9))_template"
            if destroying { config.tenants.provision = .migrations }
        }
        return config
    }

    /// "3d 4h", "25m": how old a preview is.
    static func age(since date: Date, now: Date = Date()) -> String {
        let minutes = max(0, Int(now.timeIntervalSince(date) / 60))
        if minutes < 60 { return "\(minutes)m" }
        if minutes < 24 * 60 { return "\(minutes / 60)h \(minutes % 60)m" }
        return "\(minutes / (24 * 60))d \((minutes / 60) % 24)h"
    }

    /// `7d`, `12h`, `30m`, `2w` → seconds.
    static func duration(_ text: String) -> TimeInterval? {
        guard let unit = text.last, let number = Double(text.dropLast()), number >= 0 else { return nil }
        switch unit {
        case "m": return number * 60
        case "h": return number * 3600
        case "d": return number * 86400
        case "w": return number * 7 * 86400
        default: return nil
        }
    }
}
