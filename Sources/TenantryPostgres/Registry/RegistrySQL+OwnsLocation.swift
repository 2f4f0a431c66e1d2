// Whether Tenantry created each tenant's database or schema (internal migration 5). Frozen once released, like the
// rest of `RegistrySQL`.
extension RegistrySQL {
    static let addOwnsLocation = """
        ALTER TABLE tenantry.tenants ADD COLUMN owns_location boolean;

        COMMENT ON COLUMN tenantry.tenants.owns_location IS 'true: Tenantry created the tenant''s database or schema and may drop it; false: it existed before (adopted from tenants.query) and Tenantry never drops it unless told so for this tenant; NULL: registered before Tenantry recorded this (owned when the name is the one tenants.naming gives).';
        """
}
