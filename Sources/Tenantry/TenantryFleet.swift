@_exported import TenantryCore
@_exported import TenantryPostgres
import Foundation
import Logging

/// A project's fleet, opened from its `tenantry.yml` the way the command line opens it: the master resolved
/// (a URL, the environment, or the managed local PostgreSQL), the servers, the tenant track read and checked, and a
/// provisioner with every configured setting (naming, extensions, owner, template, servers, roles).
///
/// ```swift
/// let fleet = try await TenantryFleet.open(directory: "/srv/app")
/// let tenant = try await fleet.provision("acme")
/// ```
public struct TenantryFleet: Sendable {
    public let project: Project
    public let master: MasterDatabase
    public let provisioner: TenantProvisioner
    /// The tenant track as read (its `warnings` name what the folder's own tool would skip).
    public let tenantTrack: MigrationCatalog
    /// What opening noticed: connection warnings, files the tenant track skips.
    public let warnings: [String]

    /// Opens the project whose `tenantry.yml` is found from `directory` upwards.
    ///
    /// - Parameters:
    ///   - environment: the `environments:` entry to use (else `TENANTRY_ENV`, else none).
    ///   - url: the master's URL, over the environment and the file.
    public static func open(directory: String = FileManager.default.currentDirectoryPath, environment: String? = nil, url: String? = nil,
                            logger: Logger = Logger(label: "tenantry")) async throws -> TenantryFleet {
        let project = try ConfigLoader(processEnvironment: ProcessInfo.processInfo.environment, workingDirectory: directory)
            .load(configPath: nil, environmentFlag: environment)
        return try await open(project: project, url: url, logger: logger)
    }

    /// Opens an already loaded project.
    public static func open(project: Project, url: String? = nil, logger: Logger = Logger(label: "tenantry")) async throws -> TenantryFleet {
        let master = try await MasterDatabase.resolve(project: project, url: url, logger: logger)
        let (servers, serverWarnings) = try TenantServers.configured(project: project, master: master, logger: logger)
        let track = try MigrationCatalog.tenantTrack(of: project)
        let provisioner = try TenantProvisioner.configured(project: project, master: master, servers: servers,
                                                           tenantTrack: track.migrations, logger: logger)
        _ = try provisioner.checkTrack()
        return TenantryFleet(project: project, master: master, provisioner: provisioner, tenantTrack: track,
                             warnings: master.warnings + serverWarnings + track.warnings.map { "tenant track: \($0)" })
    }

    /// Provisions one tenant: registered, its database or schema, extensions, roles and tenant track, ACTIVE.
    /// Idempotent: an ACTIVE tenant is returned as it is, a PROVISIONING or FAILED one resumes.
    ///
    /// - Parameter server: `master` or a name from `servers:` (default: the one with the fewest tenants).
    @discardableResult
    public func provision(_ slug: String, name: String? = nil, tier: String? = nil, metadata: [String: String] = [:],
                          server: String? = nil) async throws -> Tenant {
        try await provisioner.create(try TenantSlug(slug), displayName: name, tier: tier, metadata: metadata, server: server).tenant
    }
}
