import Foundation
import Logging
import PostgresNIO
import Testing
import TenantryCore
import TenantryTestSupport

@testable import TenantryPostgres

/// Shared helpers for the tests that talk to a real server.
enum PG {
    /// A quiet logger: PostgresNIO logs connection details at debug level.
    static let logger: Logger = {
        var logger = Logger(label: "tenantry-postgres-tests")
        logger.logLevel = .critical
        return logger
    }()

    /// The environment the resolver sees: this process's, minus `PG*` variables (which would change what the
    /// URL means) and with a home folder that has no `.pgpass` or `~/.postgresql` certificates in it.
    static var resolverEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        environment["HOME"] = "/nonexistent-tenantry-test-home"
        return environment
    }

    /// `TENANTRY_TEST_DATABASE_URL`, with query parameters set or replaced.
    static func url(setting parameters: [String: String] = [:]) throws -> String {
        let text = try TestDatabase.requireURL()
        guard !parameters.isEmpty else { return text }
        var components = try #require(URLComponents(string: text), "the test URL is not a URL: \(text)")
        var items = (components.queryItems ?? []).filter { parameters[$0.name] == nil }
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            items.append(URLQueryItem(name: name, value: value))
        }
        components.queryItems = items
        return try #require(components.string)
    }

    /// Settings resolved from the test URL the way the CLI resolves them.
    static func settings(setting parameters: [String: String] = [:]) throws -> ConnectionSettings {
        let text = try url(setting: parameters)
        return try ConnectionResolver.system(environment: resolverEnvironment)
            .resolve(url: text, source: TestDatabase.variable).settings
    }

    static func connector(_ settings: ConnectionSettings) throws -> PostgresConnector {
        try PostgresConnector(settings: settings, logger: logger)
    }

    /// The first column of the first row of `sql`, decoded.
    static func scalar<T: PostgresDecodable & Sendable>(
        _ type: T.Type, _ sql: String, on connector: PostgresConnector
    ) async throws -> T? {
        try await connector.withConnection { connection in
            try await scalar(type, sql, on: connection)
        }
    }

    static func scalar<T: PostgresDecodable & Sendable>(
        _ type: T.Type, _ sql: String, on connection: PostgresConnection
    ) async throws -> T? {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
        return try rows.first?.decode(T.self)
    }

    /// Runs `body` and returns the `TenantryError` it throws, or records an issue and returns nil.
    static func tenantryError(
        sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
    ) async -> TenantryError? {
        do {
            try await body()
            Issue.record("expected a TenantryError, but nothing was thrown", sourceLocation: sourceLocation)
            return nil
        } catch let error as TenantryError {
            return error
        } catch {
            Issue.record("expected a TenantryError, got \(type(of: error)): \(String(reflecting: error))",
                         sourceLocation: sourceLocation)
            return nil
        }
    }
}

/// A managed `LocalServer` in a fresh temporary project folder, destroyed afterwards whatever happens.
enum ManagedServer {
    static func with(
        _ prefix: String, _ body: (LocalServer, Int, TemporaryDirectory) async throws -> Void
    ) async throws {
        let folder = try TemporaryDirectory(prefix)
        let server = LocalServer(projectRoot: folder.path, environment: ProcessInfo.processInfo.environment, logger: PG.logger)
        do {
            let result = try await server.start()
            try await body(server, result.port, folder)
        } catch {
            try? await server.destroy()
            folder.remove()
            throw error
        }
        try await server.destroy()
        folder.remove()
    }
}

/// Runs a program and returns its status and combined output.
enum Shell {
    struct Output {
        var status: Int32
        var text: String
    }

    static func run(_ executable: String, _ arguments: [String], in directory: String) throws -> Output {
        let result = try ExternalProgram.run("/usr/bin/env", [executable] + arguments,
                                             environment: ProcessInfo.processInfo.environment, in: directory)
        return Output(status: result.status, text: result.stdout + result.stderr)
    }
}
