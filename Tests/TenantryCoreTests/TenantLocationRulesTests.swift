import Testing
@testable import TenantryCore

@Suite("where a tenant may live")
struct TenantLocationRulesTests {
    let rules = TenantLocationRules(masterDatabase: "app", templates: ["app_template", "tenant_template"])

    func tenant(database: String, schema: String? = nil, server: String? = nil, owns: Bool? = nil, id: String = "acme") -> Tenant {
        Tenant(id: id, displayName: id, status: .active, layout: schema == nil ? .database : .schema, databaseName: database,
               schemaName: schema, server: server, ownsLocation: owns)
    }

    @Test(arguments: [
        ("postgres", nil as String?, "a system database"), ("template0", nil, "a system database"), ("template1", nil, "a system database"),
        ("app", nil, "the master database"), ("app_template", nil, "the template"),
        ("app", "public", "keeps for itself"), ("app", "tenantry", "keeps for itself"), ("app", "pg_toast", "keeps for itself"),
        ("app", "information_schema", "keeps for itself"), ("template1", "acme", "a system database"), ("app", "tenant_template", "the template"),
    ])
    func refusesSystemNamesTheMasterAndTemplates(database: String, schema: String?, reason: String) throws {
        let refusal = try #require(rules.refusal(tenant(database: database, schema: schema)))
        #expect(refusal.contains(reason), "\(refusal)")
        #expect(throws: TenantryError.self) { try rules.check(tenant(database: database, schema: schema)) }
    }

    @Test
    func acceptsOrdinaryNamesAndTheMasterNameOnAnotherServer() {
        #expect(rules.refusal(tenant(database: "t_acme")) == nil)
        #expect(rules.refusal(tenant(database: "app", schema: "t_acme")) == nil)
        #expect(rules.refusal(tenant(database: "app", server: "eu-1")) == nil, "another server's database named like the master is not the master")
        #expect(rules.refusal(tenant(database: "postgres", schema: "t_acme")) == nil, "schemas in a database named postgres are fine")
    }

    @Test
    func ownershipIsRecordedOrInferredFromTheNamingPattern() throws {
        let naming = try TenantNaming(pattern: "t_{slug}")
        #expect(TenantLocationRules.owns(tenant(database: "victim", owns: true), naming: naming))
        #expect(!TenantLocationRules.owns(tenant(database: "t_acme", owns: false), naming: naming))
        #expect(TenantLocationRules.owns(tenant(database: "t_acme", owns: nil), naming: naming), "a legacy row named by the pattern")
        #expect(!TenantLocationRules.owns(tenant(database: "victim", owns: nil), naming: naming), "a legacy adopted row")
        #expect(TenantLocationRules.owns(tenant(database: "app", schema: "t_acme", owns: nil), naming: naming))
    }
}
