// `preview:`: what `tenantry preview create` makes for a branch.
//
//     preview:
//       tenants: [demo, acme]        # sample tenants of every preview (default: none)
//       template: template_preview   # the preview's master database starts as a copy of this (default: empty)
//       seed: true                   # apply seeds/master and seeds/tenant (default: true)
extension ConfigDecoder {
    static let previewKeys = ["tenants", "template", "seed"]

    func decodePreview(_ node: ConfigNode, into preview: inout Config.Preview) throws(TenantryError) {
        let entries = try mapping(node, path: "preview")
        try checkKeys(entries, allowed: Self.previewKeys, path: "preview.")
        for entry in entries {
            let path = "preview.\(entry.key)"
            switch entry.key {
            case "tenants":
                preview.tenants = try stringList(entry, path: path)
                for slug in preview.tenants {
                    do throws(TenantryError) {
                        _ = try TenantSlug(slug)
                    } catch {
                        throw .setup("\(file):\(entry.line): \(path): \(error.message)", hint: error.hint)
                    }
                }
            case "template": preview.template = try optionalString(entry, path: path)
            case "seed": preview.seed = try bool(entry, path: path)
            default: break
            }
        }
    }
}
