import TenantryCore
import TenantryPostgres

/// What `roles apply` did per tenant: lines for a person, a document for `--json`, and the exit code.
struct RolesReport: Encodable {
    struct Tenant: Encodable {
        var id: String
        /// changed, unchanged, skipped or failed (with --dry-run: "changed" means it would change).
        var status: String
        var changes: [String] = []
        /// With --dry-run: the statements, verifiers hidden.
        var statements: [String]?
        var passwordsCompared: Bool?
        var reason: String?
        var error: String?

        init(id: String, status: String, reason: String? = nil, error: String? = nil) {
            self.id = id
            self.status = status
            self.reason = reason
            self.error = error
        }

        init(_ outcome: RoleApplier.Outcome, dryRun: Bool) {
            id = outcome.tenantID
            status = outcome.changes.isEmpty ? "unchanged" : "changed"
            changes = outcome.changes.map(\.summary)
            statements = dryRun ? outcome.changes.map { $0.shownSQL + ";" } : nil
            passwordsCompared = outcome.passwordsCompared
        }
    }

    var dryRun: Bool
    var tenants: [Tenant]

    func count(_ status: String) -> Int { tenants.count { $0.status == status } }

    func render(_ output: Output) throws(TenantryError) {
        for tenant in tenants {
            switch tenant.status {
            case "unchanged": output.result("\(tenant.id): unchanged")
            case "skipped": output.result("\(tenant.id): skipped (\(tenant.reason ?? ""))")
            case "failed": output.result("\(tenant.id): \(output.paint("failed", .red)): \(tenant.error ?? "")")
            default:
                let count = tenant.changes.count
                output.result("\(tenant.id): \(count) change\(count == 1 ? "" : "s")\(dryRun ? " would be made" : "")")
                for line in tenant.statements ?? tenant.changes { output.result("  \(line)") }
            }
        }
        if tenants.contains(where: { $0.passwordsCompared == false }) {
            output.warning("pg_authid is not readable by this role, so passwords were \(dryRun ? "not compared" : "set without comparing") "
                           + "and are reported as changed on every run; run roles apply as a superuser to compare them")
        }
        let verb = dryRun ? "would change" : "changed"
        output.note("Roles: \(count("changed")) tenant\(count("changed") == 1 ? "" : "s") \(verb), \(count("unchanged")) unchanged"
                    + (count("skipped") > 0 ? ", \(count("skipped")) skipped" : "") + (count("failed") > 0 ? ", \(count("failed")) failed" : ""))
        output.emitJSON(self)
        if count("failed") > 0 {
            throw .failed("the roles of \(count("failed")) tenant\(count("failed") == 1 ? "" : "s") could not be applied",
                          hint: "fix the cause shown per tenant and run `tenantry roles apply` again")
        }
    }
}
