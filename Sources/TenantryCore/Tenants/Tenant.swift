import Foundation

/// A row of `tenantry.tenants`: one tenant of the fleet.
public struct Tenant: Sendable, Equatable, Codable {
    /// The slug: the tenant's id everywhere (registry, CLI, events).
    public var id: String
    public var displayName: String
    public var status: TenantStatus
    public var layout: Config.Layout
    /// Database-per-tenant: the tenant's database. Schema-per-tenant: the shared database holding its schema.
    public var databaseName: String
    /// Schema-per-tenant: the tenant's schema; nil for database-per-tenant.
    public var schemaName: String?
    /// Name of the server (from `servers:` in config) holding it; nil for the master's server.
    public var server: String?
    /// `postgresql`; tenants of other engines are registered but skipped by fleet commands.
    public var engine: String
    public var tier: String?
    public var metadata: [String: String]
    public var createdAt: Date
    public var updatedAt: Date
    public var deletedAt: Date?
    /// Whether Tenantry created the tenant's database or schema: true, it may drop it; false, it existed before
    /// (adopted from `tenants.query`) and is never dropped unless the user says so for this tenant; nil, registered
    /// before Tenantry recorded this (see `TenantLocationRules.owns`).
    public var ownsLocation: Bool?

    public init(id: String, displayName: String, status: TenantStatus, layout: Config.Layout, databaseName: String,
                schemaName: String?, server: String? = nil, engine: String = "postgresql", tier: String? = nil,
                metadata: [String: String] = [:], createdAt: Date = Date(), updatedAt: Date = Date(), deletedAt: Date? = nil, ownsLocation: Bool? = true) {
        self.id = id
        self.displayName = displayName
        self.status = status
        self.layout = layout
        self.databaseName = databaseName
        self.schemaName = schemaName
        self.server = server
        self.engine = engine
        self.tier = tier
        self.metadata = metadata
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
        self.ownsLocation = ownsLocation
    }
}

extension Config.Layout: Codable {}

extension Tenant {
    /// "schema t_ab12 in database app" or "database t_ab12", with " on server eu-1" when not on the master's server.
    public var placeDescription: String {
        let place = schemaName.map { "schema \($0) in database \(databaseName)" } ?? "database \(databaseName)"
        return server.map { "\(place) on server \($0)" } ?? place
    }
}
