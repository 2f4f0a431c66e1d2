import ArgumentParser

/// `tenantry preview`: one master database and sample tenants per git branch.
struct PreviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Per-branch preview databases: create, list, destroy.",
        subcommands: [PreviewCreate.self, PreviewList.self, PreviewDestroy.self]
    )
}

/// `--branch NAME`, defaulting to the current git branch.
struct BranchOption: ParsableArguments, Sendable {
    @Option(help: ArgumentHelp("The branch (default: the current git branch, or GITHUB_HEAD_REF / CI_COMMIT_REF_NAME).",
                               valueName: "name"))
    var branch: String?
}
