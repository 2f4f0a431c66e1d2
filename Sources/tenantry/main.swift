import TenantryCLI

await TenantryMain.run()
