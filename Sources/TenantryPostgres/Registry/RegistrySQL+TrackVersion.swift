// The tenants' recorded track versions (internal migration 4). Frozen once released, like the rest of `RegistrySQL`.
extension RegistrySQL {
    static let addTrackVersion = """
        ALTER TABLE tenantry.tenants ADD COLUMN track_version text;

        COMMENT ON COLUMN tenantry.tenants.track_version IS 'The tenant track version after the last fleet run that succeeded on this tenant (NULL: unknown). A hint: a run plans from it, then proves it against the tenant''s own history before changing anything.';
        """
}
