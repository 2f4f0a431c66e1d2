/// Tenantry's version, printed by `tenantry --version` and recorded by later history rows.
public enum TenantryVersion {
    public static let current = "0.1.0"
}
