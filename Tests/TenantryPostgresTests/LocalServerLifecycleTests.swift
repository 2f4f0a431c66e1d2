import Foundation
import PostgresNIO
import Testing
import TenantryCore
import TenantryTestSupport

@testable import TenantryPostgres

@Suite("LocalServer lifecycle", .serialized)
struct LocalServerLifecycleTests {
    @Test(TestDatabase.required)
    func startStopRestartAndDestroy() async throws {
        let folder = try TemporaryDirectory("tenantry-lifecycle")
        let server = LocalServer(projectRoot: folder.path, environment: ProcessInfo.processInfo.environment, logger: PG.logger)
        defer { folder.remove() }
        #expect(try server.state() == .notCreated)
        #expect(try await server.stop() == false, "stopping a server that was never created")
        do {
            try await exercise(server)
        } catch {
            try? await server.destroy()
            throw error
        }
        try await server.destroy()
        #expect(!FileManager.default.fileExists(atPath: server.baseDirectory), "destroy() left \(server.baseDirectory)")
        #expect(!server.isCreated)
        #expect(try server.state() == .notCreated)
    }

    private func exercise(_ server: LocalServer) async throws {
        let first = try await server.start()
        #expect(first.created)
        #expect(first.started)
        #expect(first.version.first?.isNumber == true, "version: \(first.version)")
        #expect(server.isCreated)

        let second = try await server.start()
        #expect(second.started == false)
        #expect(second.created == false)
        #expect(second.port == first.port)

        guard case .running(let port, let pid) = try server.state() else {
            Issue.record("state() is \(try server.state()) after start()")
            return
        }
        #expect(port == first.port)
        let postmaster = try #require(pid, "pg_ctl status gave no PID")
        #expect(kill(pid_t(postmaster), 0) == 0 || errno == EPERM, "PID \(postmaster) is not a live process")

        let connector = try PG.connector(server.connectionSettings(port: port))
        #expect(try await PG.scalar(String.self, "SHOW listen_addresses", on: connector) == "127.0.0.1")
        #expect(try await PG.scalar(String.self, "SHOW port", on: connector) == String(port))
        #expect(try await PG.scalar(
            Bool.self, "SELECT rolcreatedb FROM pg_roles WHERE rolname = 'local_dev'", on: connector) == true)
        #expect(try await PG.scalar(
            Bool.self, "SELECT rolcanlogin FROM pg_roles WHERE rolname = 'local_dev'", on: connector) == true)

        // Also reachable over TCP on 127.0.0.1, as the URL it gives users says.
        let tcp = ConnectionSettings(endpoint: .tcp(host: "127.0.0.1", port: port), user: LocalServer.superuser,
                                     database: "postgres", sslMode: .disable)
        #expect(try await PG.scalar(Int.self, "SELECT 1", on: PG.connector(tcp)) == 1)
        #expect(server.url(port: port) == "postgresql://postgres@127.0.0.1:\(port)/postgres")

        try await connector.withConnection { connection in
            try await connection.execute("CREATE TABLE survivor (id int PRIMARY KEY, note text)", logger: PG.logger)
            try await connection.execute("INSERT INTO survivor VALUES (1, 'still here')", logger: PG.logger)
        }

        #expect(try await server.stop() == true)
        #expect(try await server.stop() == false)
        #expect(try server.state() == .stopped(port: port))
        let afterStop = await PG.tenantryError {
            _ = try await PG.scalar(Int.self, "SELECT 1", on: PG.connector(tcp))
        }
        #expect(afterStop?.kind == .setup, "a stopped server still accepted a connection")

        let restarted = try await server.start()
        #expect(restarted.started)
        #expect(restarted.created == false)
        let note = try await PG.scalar(
            String.self, "SELECT note FROM survivor WHERE id = 1",
            on: PG.connector(server.connectionSettings(port: restarted.port)))
        #expect(note == "still here")
    }

    /// Another program took the port while the server was stopped: the server moves to a free one.
    @Test(TestDatabase.required)
    func restartMovesToAFreePortWhenItsPortIsTaken() async throws {
        try await ManagedServer.with("tenantry-port") { server, port, _ in
            #expect(try await server.stop())
            let squatter = try UnansweredPort(port: port)
            let restarted = try await server.start()
            withExtendedLifetime(squatter) {}
            #expect(restarted.started)
            #expect(restarted.port != port)
            #expect(try server.state() == .running(port: restarted.port, pid: server.currentPID()))
            let connector = try PG.connector(server.connectionSettings(port: restarted.port))
            #expect(try await PG.scalar(String.self, "SHOW port", on: connector) == String(restarted.port))
        }
    }

    @Test
    func missingBinariesGiveAClearError() async throws {
        #expect(PostgresBinaries.locate(in: []) == nil)
        #expect(PostgresBinaries.locate(in: ["/nonexistent"]) == nil)

        let explicit = await PG.tenantryError {
            _ = try PostgresBinaries.locate(environment: ["TENANTRY_PG_BIN": "/nonexistent"])
        }
        #expect(explicit?.kind == .setup)
        #expect(explicit?.message.contains("TENANTRY_PG_BIN") == true, "\(String(describing: explicit))")
        #expect(explicit?.message.contains("/nonexistent") == true, "\(String(describing: explicit))")
        #expect(explicit?.hint?.contains("TENANTRY_PG_BIN") == true, "\(String(describing: explicit?.hint))")
        #expect(PostgresBinaries.installHint.contains("install"))

        // A folder holding only some of the programs is not an installation.
        let folder = try TemporaryDirectory("tenantry-bins")
        defer { folder.remove() }
        try folder.write("initdb", "#!/bin/sh\n", mode: 0o755)
        try folder.write("pg_ctl", "#!/bin/sh\n", mode: 0o755)
        #expect(PostgresBinaries.locate(in: [folder.path]) == nil)
        try folder.write("postgres", "#!/bin/sh\n", mode: 0o644)
        #expect(PostgresBinaries.locate(in: [folder.path]) == nil, "a non-executable postgres was accepted")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(folder.path)/postgres")
        #expect(PostgresBinaries.locate(in: ["/nonexistent", folder.path])?.directory == folder.path)

        // The server itself reports the same error instead of half-creating a cluster.
        let project = try TemporaryDirectory("tenantry-nobins")
        defer { project.remove() }
        let server = LocalServer(projectRoot: project.path, environment: ["TENANTRY_PG_BIN": "/nonexistent"], logger: PG.logger)
        let startError = await PG.tenantryError { _ = try await server.start() }
        #expect(startError?.kind == .setup)
        #expect(startError?.message.contains("TENANTRY_PG_BIN") == true, "\(String(describing: startError))")
        #expect(!server.isCreated)
    }
}

extension LocalServer {
    /// The PID in `state()`, whatever it is (for comparing whole states).
    func currentPID() throws -> Int? {
        if case .running(_, let pid) = try state() { return pid }
        return nil
    }
}
