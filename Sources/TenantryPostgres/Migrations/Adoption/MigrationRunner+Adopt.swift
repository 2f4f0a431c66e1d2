import Foundation
import PostgresNIO
import TenantryCore

/// What `adopt` found and did on one target.
public struct Adoption: Sendable {
    /// The other tool's table, or nil when the target has none (nothing to adopt).
    public var table: ForeignHistoryReader.Found?
    public var plan: AdoptionPlan?
    /// True when the adopted rows were written (false for a dry run, a blocked plan, or nothing to adopt).
    public var recorded = false

    public var isBlocked: Bool { plan?.isBlocked ?? false }
}

extension MigrationRunner {
    /// Reads another tool's history on the target and records the migrations it applied as baseline rows of
    /// Tenantry's history, with the tool's applied time, in one transaction under the target's lock. Nothing is
    /// run, and nothing is recorded when the plan has a problem (see `AdoptionPlan`) or `dryRun` is set.
    ///
    /// - Parameter tool: the tool to adopt from; nil takes the one found (more than one found is a usage error).
    public func adopt(from tool: ForeignTool?, acceptChanged: Bool = false, dryRun: Bool = false) async throws -> Adoption {
        try await withLockedHistory(creatingHistory: !dryRun) { connection, applied in
            let reader = ForeignHistoryReader(target: target, logger: logger)
            let found = try await reader.tables(on: connection).filter { tool == nil || $0.tool == tool }
            guard let table = found.first else { return Adoption() }
            guard found.count == 1 else {
                throw TenantryError.usage("\(target.label) holds the histories of \(found.map { "\($0.tool) (\($0.name))" }.joined(separator: " and "))",
                                          hint: "choose the one to adopt with --from \(found[0].tool)")
            }
            let plan = AdoptionPlan.make(catalog: migrations, tool: table.tool, table: table.name,
                                         entries: try await reader.entries(of: table, on: connection),
                                         applied: applied, acceptChanged: acceptChanged)
            var adoption = Adoption(table: table, plan: plan)
            guard !dryRun, !plan.isBlocked, !plan.adopted.isEmpty else { return adoption }
            try await executor.inTransaction(on: connection) {
                for adopted in plan.adopted {
                    try await history.insert(adopted.migration, kind: .baseline, milliseconds: 0, progress: nil,
                                             appliedAt: adopted.appliedAt, on: connection)
                }
            }
            adoption.recorded = true
            return adoption
        }
    }

    /// The other tools' history tables on the target (for a hint when a migration meets objects that exist).
    func foreignHistories(on connection: PostgresConnection) async -> [ForeignHistoryReader.Found] {
        (try? await ForeignHistoryReader(target: target, logger: logger).tables(on: connection)) ?? []
    }
}

extension MigrationRunner {
    /// duplicate_table, duplicate_object, duplicate_column, duplicate_schema, duplicate_function.
    static let existingObjectStates: Set<String> = ["42P07", "42710", "42701", "42P06", "42723"]

    /// `body`, whose failure on an object that exists, on a target holding another tool's history, says that tool
    /// has probably run the file already and `adopt` records it (the connection is out of any transaction then).
    /// Without a `connection` (the fleet's blocks, whose connections are shared), one is opened for the check.
    func explainingExistingObjects<Result: Sendable>(on connection: PostgresConnection? = nil, _ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch var error as TenantryError where Self.existingObjectStates.contains(error.sqlState ?? "") {
            let found = if let connection {
                await foreignHistories(on: connection)
            } else {
                (try? await target.connector.withConnection(runsUserSQL: false) { await foreignHistories(on: $0) }) ?? []
            }
            guard !found.isEmpty else { throw error }
            let tables = found.map { "\($0.name) (\($0.tool)'s history)" }.joined(separator: ", ")
            // In the message too: a fleet run shows each tenant's message, not its hint.
            error.message += "\n  this target holds \(tables): that tool has probably applied this migration already"
            error.hint = "`tenantry adopt` records what that tool applied in Tenantry's history without running it "
                + "(`tenantry adopt --dry-run` shows it first); then migrate again"
            throw error
        }
    }
}
