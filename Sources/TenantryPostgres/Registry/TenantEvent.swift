import Foundation
import TenantryCore

/// A row of `tenantry.tenant_events`: one status change of a tenant.
public struct TenantEvent: Sendable, Equatable {
    public var at: Date
    /// The status before; nil for the first registration.
    public var from: TenantStatus?
    public var to: TenantStatus
    /// Why, when the change is a failure.
    public var error: String?
    /// Context given with the change (e.g. the step that failed); empty when there was none.
    public var details: [String: String]

    public init(at: Date, from: TenantStatus?, to: TenantStatus, error: String? = nil, details: [String: String] = [:]) {
        self.at = at
        self.from = from
        self.to = to
        self.error = error
        self.details = details
    }
}
