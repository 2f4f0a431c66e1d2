import ArgumentParser

/// `tenantry dev`: the managed local PostgreSQL.
struct Dev: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the local PostgreSQL that Tenantry runs in .tenantry/postgres when no server is configured.",
        discussion: """
        The cluster uses the PostgreSQL server programs on PATH or in the usual install locations \
        (/usr/lib/postgresql/*/bin, Homebrew), or TENANTRY_PG_BIN. It listens on 127.0.0.1 (a free port, kept \
        across restarts) and on a socket inside .tenantry/postgres, with trust authentication for the postgres \
        superuser and a local_dev role with CREATEDB. When run as root, the server runs as the postgres system user.
        """,
        subcommands: [DevStart.self, DevStop.self, DevStatus.self, DevURL.self, DevDestroy.self]
    )
}
