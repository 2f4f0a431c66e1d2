import Foundation
import PostgresNIO
import Testing
import TenantryCore
import TenantryTestSupport

@testable import TenantryPostgres

@Suite("PostgresConnector against the test server")
struct PostgresConnectorTests {
    // MARK: connecting

    @Test(TestDatabase.required)
    func selectOneWithResolvedSettings() async throws {
        let settings = try PG.settings()
        let one = try await PG.scalar(Int.self, "SELECT 1", on: PG.connector(settings))
        #expect(one == 1)
    }

    @Test(TestDatabase.required)
    func defaultApplicationNameIsTenantry() async throws {
        let settings = try PG.settings()
        #expect(settings.applicationName == nil, "the test URL should not set application_name")
        let name = try await PG.scalar(
            String.self, "SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()",
            on: PG.connector(settings))
        #expect(name == "tenantry")
    }

    @Test(TestDatabase.required)
    func applicationNameFromTheURL() async throws {
        let wanted = TestDatabase.uniqueName("tenantry_app")
        let settings = try PG.settings(setting: ["application_name": wanted])
        #expect(settings.applicationName == wanted)
        let name = try await PG.scalar(
            String.self, "SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()",
            on: PG.connector(settings))
        #expect(name == wanted)
    }

    @Test(TestDatabase.required)
    func connectorToAnotherDatabaseKeepsTheServer() async throws {
        // Never template1: a session there makes concurrent CREATE DATABASE fail (55006) in other tests.
        let settings = try PG.settings().with(database: TestDatabase.uniqueName("not_created"))
        let other = try PG.connector(settings).to(database: "postgres")
        #expect(other.settings.endpoint == settings.endpoint)
        let database = try await PG.scalar(String.self, "SELECT current_database()", on: other)
        #expect(database == "postgres")
    }

    // MARK: sslmode against a server without TLS

    @Test(TestDatabase.required)
    func sslmodeRequireFailsCleanlyWithoutTLS() async throws {
        let settings = try PG.settings(setting: ["sslmode": "require"])
        #expect(settings.sslMode == .require)
        guard case .tcp = settings.endpoint else {
            Issue.record("\(TestDatabase.variable) must name a TCP host for the TLS tests, not a unix socket")
            return
        }
        let connector = try PG.connector(settings)
        let error = await PG.tenantryError {
            _ = try await PG.scalar(Int.self, "SELECT 1", on: connector)
        }
        #expect(error?.kind == .setup)
        #expect(error?.exitCode == 2)
        #expect(error?.message.contains("does not support TLS") == true, "\(String(describing: error))")
        #expect(error?.message.contains(settings.serverDescription) == true, "\(String(describing: error))")
        #expect(error?.message.contains("sslmode=require") == true, "\(String(describing: error))")
        #expect(error?.hint?.isEmpty == false)
    }

    @Test(TestDatabase.required, arguments: ["prefer", "allow", "disable"])
    func sslmodesThatAllowPlainConnectionsConnect(mode: String) async throws {
        let settings = try PG.settings(setting: ["sslmode": mode])
        #expect(settings.sslMode.rawValue == mode)
        let ssl = try await PG.scalar(
            Bool.self, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", on: PG.connector(settings))
        #expect(ssl == false, "the test server has no TLS, so the connection must be plain")
    }

    // MARK: errors

    @Test(TestDatabase.required)
    func missingDatabaseIsNamedWithSQLStateAndHint() async throws {
        let missing = TestDatabase.uniqueName("tenantry_missing")
        let settings = try PG.settings().with(database: missing)
        let connector = try PG.connector(settings)
        let error = await PG.tenantryError {
            _ = try await PG.scalar(Int.self, "SELECT 1", on: connector)
        }
        #expect(error?.kind == .setup)
        #expect(error?.exitCode == 2)
        #expect(error?.message.contains(missing) == true, "\(String(describing: error))")
        #expect(error?.message.contains("3D000") == true, "\(String(describing: error))")
        #expect(error?.message.contains(settings.serverDescription) == true, "\(String(describing: error))")
        #expect(error?.hint?.contains("create the database") == true, "\(String(describing: error?.hint))")
    }

    @Test(arguments: ["127.0.0.1", "localhost"])
    func connectionRefusedNamesHostAndPortButNotThePassword(host: String) async throws {
        let port = try #require(LocalPort.pickFree(), "no free port to test against")
        let canary = "canary-\(UUID().uuidString)"
        let settings = ConnectionSettings(
            endpoint: .tcp(host: host, port: port), user: "postgres", password: canary, database: "postgres",
            sslMode: .disable, connectTimeout: 5)
        let connector = try PG.connector(settings)
        let error = await PG.tenantryError {
            _ = try await PG.scalar(Int.self, "SELECT 1", on: connector)
        }
        #expect(error?.kind == .setup)
        #expect(error?.exitCode == 2)
        #expect(error?.message.contains("\(host):\(port)") == true, "\(String(describing: error))")
        #expect(error?.message.contains("refused") == true, "\(String(describing: error))")
        #expect(error?.description.contains(canary) == false)
        #expect("\(settings)".contains(canary) == false)
        #expect(String(reflecting: settings).contains(canary) == false)
    }

    @Test(TestDatabase.required)
    func passwordNeverReachesTheServerLog() async throws {
        let canary = "canary-\(UUID().uuidString)"
        var settings = try PG.settings()
        settings.password = canary
        let marker = TestDatabase.uniqueName("tenantry_log_marker")
        let echoed = try await PG.scalar(String.self, "SELECT '\(marker)'::text", on: PG.connector(settings))
        #expect(echoed == marker)
        // A failing connection with the same password, so the error path is logged too.
        let missing = try PG.connector(settings.with(database: TestDatabase.uniqueName("tenantry_missing")))
        _ = await PG.tenantryError { _ = try await PG.scalar(Int.self, "SELECT 1", on: missing) }

        let environment = ProcessInfo.processInfo.environment
        guard let logPath = environment["TENANTRY_TEST_SERVER_LOG"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            if !(environment["CI"] ?? "").isEmpty {
                Issue.record("TENANTRY_TEST_SERVER_LOG is not set in CI; the server log check cannot run")
            }
            return
        }
        // The log is written asynchronously: wait until our marker statement shows up in it.
        var log = ""
        for _ in 0..<50 {
            log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            if log.contains(marker) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(log.contains(marker), "the statement never reached \(logPath); is log_statement=all set?")
        #expect(!log.contains(canary), "the password appears in the server log \(logPath)")
    }
}

/// A TCP port on 127.0.0.1 whose accept queue is full, so new connection attempts hang in SYN-SENT:
/// a deterministic way to make a connection time out.
final class UnansweredPort {
    let port: Int
    private var descriptors: [Int32] = []

    /// - Parameter port: the port to occupy, or 0 for any free one.
    init(port requested: Int = 0) throws {
        let listener = try Self.socket()
        descriptors.append(listener)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(requested).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
        }
        guard bound == 0, listen(listener, 0) == 0 else {
            descriptors.forEach { close($0) }
            throw POSIXError(.EADDRINUSE)
        }
        var assigned = sockaddr_in()
        var assignedLength = length
        _ = withUnsafeMutablePointer(to: &assigned) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &assignedLength) }
        }
        port = Int(UInt16(bigEndian: assigned.sin_port))
        assigned.sin_addr.s_addr = inet_addr("127.0.0.1")
        // Fill the (never accepted) queue with non-blocking connections.
        for _ in 0..<3 {
            let filler = try Self.socket()
            descriptors.append(filler)
            _ = fcntl(filler, F_SETFL, fcntl(filler, F_GETFL) | O_NONBLOCK)
            _ = withUnsafePointer(to: &assigned) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, length) }
            }
        }
        usleep(200_000)
    }

    private static func socket() throws -> Int32 {
        #if os(Linux)
        let descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = Darwin.socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
        return descriptor
    }

    deinit {
        descriptors.forEach { close($0) }
    }
}

@Suite("PostgresConnector timeouts")
struct PostgresConnectorTimeoutTests {
    @Test(arguments: [(1, 1), (0, 10)])
    func timeoutMessageStatesTheTimeoutUsed(given: Int, used: Int) async throws {
        let unanswered = try UnansweredPort()
        let settings = ConnectionSettings(
            endpoint: .tcp(host: "127.0.0.1", port: unanswered.port), user: "postgres", database: "postgres",
            sslMode: .disable, connectTimeout: given)
        let connector = try PG.connector(settings)
        let started = ContinuousClock.now
        let error = await PG.tenantryError {
            _ = try await PG.scalar(Int.self, "SELECT 1", on: connector)
        }
        let waited = ContinuousClock.now - started
        withExtendedLifetime(unanswered) {}
        #expect(error?.kind == .setup)
        #expect(error?.message.contains("127.0.0.1:\(unanswered.port)") == true, "\(String(describing: error))")
        let message = error?.message.lowercased() ?? ""
        #expect(message.contains("timeout") || message.contains("timed out"), "\(String(describing: error))")
        #expect(message.contains("\(used) s"), "the message should state the \(used) s waited: \(String(describing: error))")
        // Only the lower bound: it proves the timeout was honoured; an upper bound would be a timing test.
        #expect(waited >= .seconds(used) - .milliseconds(200), "waited \(waited)")
    }
}
