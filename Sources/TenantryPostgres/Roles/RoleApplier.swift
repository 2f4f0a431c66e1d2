import Logging
import PostgresNIO
import TenantryCore

/// Applies a tenant's `TenantRoles` on its server: reads the catalog state, plans (`RolePlan`), and runs the
/// plan in one transaction in the tenant's database, so a failure leaves nothing half-applied for that tenant.
///
/// ```swift
/// let roles = try RolePolicy(roles: config.roles!, environment: project.environment).resolve(for: tenant)
/// let outcome = try await RoleApplier(logger: logger).apply(roles, to: tenant, on: try servers.connector(for: tenant))
/// print(outcome.changes.isEmpty ? "unchanged" : outcome.changes.map(\.summary))
/// ```
public struct RoleApplier: Sendable {
    public struct Outcome: Sendable, Equatable {
        public var tenantID: String
        /// What was done (or, for a dry run, what would be); empty when the tenant was already in line.
        public var changes: [RoleChange]
        /// False when pg_authid was not readable, so passwords were set without comparing.
        public var passwordsCompared: Bool
    }

    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Roles and grants are cluster-wide rows: two tenants sharing a role, provisioned at once, can collide.
    static let attempts = 3
    static let collisionStates: Set<String> = ["42710", "23505", "XX000", "40001", "40P01"]

    /// - Parameters:
    ///   - connector: connects to the tenant's database (its own, or the shared one holding its schema).
    ///   - dryRun: plan only; nothing is changed.
    public func apply(_ roles: TenantRoles, to tenant: Tenant, on connector: PostgresConnector, dryRun: Bool = false) async throws -> Outcome {
        let database = try SQLIdentifier(tenant.databaseName)
        let schemas = [try SQLIdentifier(tenant.schemaName ?? "public")]
        return try await connector.withConnection { connection in
            let catalog = RoleCatalog(connection: connection, logger: logger)
            guard !dryRun else {
                let plan = try RolePlan(roles: roles, layout: tenant.layout, state: try await catalog.read(roles, database: database, schemas: schemas))
                return Outcome(tenantID: tenant.id, changes: plan.changes, passwordsCompared: plan.passwordsCompared)
            }
            for attempt in 1...Self.attempts {
                do {
                    return try await RegistryTransaction.run(on: connection, logger: logger) {
                        let state = try await catalog.read(roles, database: database, schemas: schemas)
                        let plan = try RolePlan(roles: roles, layout: tenant.layout, state: state)
                        for change in plan.changes {
                            do {
                                try await connection.execute(change.sql, logger: logger)
                            } catch {
                                throw PostgresErrorDescriber.queryError(error, doing: "tenant \(tenant.id): roles: \(change.summary)")
                            }
                        }
                        return Outcome(tenantID: tenant.id, changes: plan.changes, passwordsCompared: plan.passwordsCompared)
                    }
                } catch {
                    let described = PostgresErrorDescriber.queryError(error, doing: "tenant \(tenant.id): reading its roles")
                    guard attempt < Self.attempts, Self.collisionStates.contains(described.sqlState ?? "") else { throw described }
                    logger.debug("roles collided with another session, retrying", metadata: ["tenant": "\(tenant.id)", "sqlstate": "\(described.sqlState ?? "")"])
                }
            }
            preconditionFailure("the last attempt returns or throws")
        }
    }
}
