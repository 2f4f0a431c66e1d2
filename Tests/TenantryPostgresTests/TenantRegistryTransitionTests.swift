import Foundation
import PostgresNIO
import Testing
import TenantryCore
import TenantryTestSupport

@testable import TenantryPostgres

@Suite("TenantRegistry: transition and events")
struct TenantRegistryTransitionTests {
    typealias Fixture = TenantRegistryFixture

    @Test(TestDatabase.required)
    func transitionsWriteEventsInOrderWithTheirErrors() async throws {
        try await Fixture.with { registry, master in
            let (registered, _) = try await registry.register(Fixture.tenant("acme"))
            let failed = try await registry.transition("acme", to: .failed, error: "migration 3 failed: relation \"x\" exists",
                                                       details: ["step": "migrate", "file": "0003_x.sql"])
            #expect(failed.status == .failed)
            #expect(failed.updatedAt > registered.updatedAt)
            try await registry.transition("acme", to: .failed, error: "again")
            try await registry.transition("acme", to: .provisioning)
            try await registry.transition("acme", to: .active)
            try await registry.transition("acme", to: .suspended)
            let active = try await registry.transition("acme", to: .active)
            #expect(active.deletedAt == nil)

            let expected = ["->PROVISIONING:", "PROVISIONING>FAILED:migration 3 failed: relation \"x\" exists", "FAILED>FAILED:again",
                            "FAILED>PROVISIONING:", "PROVISIONING>ACTIVE:", "ACTIVE>SUSPENDED:", "SUSPENDED>ACTIVE:"]
            #expect(try await Fixture.eventRows("acme", on: master) == expected)

            let events = try await registry.events(for: "acme")
            #expect(events.map { "\($0.from?.rawValue ?? "-")>\($0.to.rawValue):\($0.error ?? "")" } == expected)
            #expect(events[1].details == ["step": "migrate", "file": "0003_x.sql"])
            #expect(events[0].details == [:])
            #expect(events.map(\.at) == events.map(\.at).sorted())
            #expect(events.last?.at == active.updatedAt, "the row and its event share one timestamp")
            let detailsInTable = try await Fixture.column(
                "SELECT details ->> 'step' FROM tenantry.tenant_events WHERE error LIKE 'migration 3%'", on: master)
            #expect(detailsInTable == ["migrate"])

            let latest = try await registry.events(for: "acme", limit: 2)
            #expect(latest.map(\.to) == [.suspended, .active], "the latest events, oldest first")
        }
    }

    @Test(TestDatabase.required)
    func deletedSetsDeletedAtAndLeavingClearsIt() async throws {
        try await Fixture.with { registry, master in
            _ = try await registry.register(Fixture.tenant("acme"))
            let deleted = try await registry.transition("acme", to: .deleted)
            let deletedAt = try #require(deleted.deletedAt)
            #expect(deletedAt == deleted.updatedAt)
            let again = try await registry.transition("acme", to: .deleted)
            #expect(again.deletedAt == deletedAt, "a second DELETED keeps the first time")
            #expect(try await registry.transition("acme", to: .dropping).deletedAt == nil)
            let stored = try await PG.scalar(Bool.self, "SELECT deleted_at IS NULL FROM tenantry.tenants WHERE id = 'acme'", on: master)
            #expect(stored == true)
        }
    }

    @Test(TestDatabase.required)
    func anUnknownIdIsAUsageErrorNamingIt() async throws {
        try await Fixture.with { registry, master in
            _ = try await registry.register(Fixture.tenant("acme"))
            let error = await PG.tenantryError { try await registry.transition("acmee", to: .active, error: "x") }
            #expect(error?.kind == .usage)
            #expect(error?.exitCode == 64)
            #expect(error?.message.contains("'acmee'") == true, "\(String(describing: error))")
            #expect(error?.hint?.contains("tenantry tenant list") == true)
            let events = await PG.tenantryError { _ = try await registry.events(for: "acmee") }
            #expect(events?.kind == .usage)
            #expect(try await PG.scalar(Int.self, "SELECT count(*) FROM tenantry.tenant_events", on: master) == 1)
        }
    }

    /// Concurrent changes are serialized by the row lock: every event's `from` is the status it replaced.
    @Test(TestDatabase.required)
    func concurrentTransitionsChainTheirEvents() async throws {
        try await Fixture.with { registry, _ in
            _ = try await registry.register(Fixture.tenant("acme"))
            let statuses: [TenantStatus] = [.active, .failed, .suspended, .provisioning, .active, .failed, .suspended, .active]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for status in statuses {
                    group.addTask { try await registry.transition("acme", to: status) }
                }
                try await group.waitForAll()
            }
            let events = try await registry.events(for: "acme")
            #expect(events.count == statuses.count + 1)
            for (previous, next) in zip(events, events.dropFirst()) {
                #expect(next.from == previous.to)
            }
            #expect(try await registry.find("acme")?.status == events.last?.to)
        }
    }
}
