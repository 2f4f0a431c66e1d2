import Foundation

/// Where a command runs: the project folder, its settings, and the environment variables it sees.
public struct Project: Sendable {
    /// The folder holding `tenantry.yml` (or the working directory when there is none).
    public var root: String
    /// The config file read, if any.
    public var configFile: String?
    /// Process environment over `.env`: a real variable always wins over the file.
    public var environment: [String: String]
    public var config: Config
    /// Where each setting of the file came from, by key path (`master.url`); absent keys are defaults.
    public var origins: [String: ConfigOrigin] = [:]

    public init(root: String, configFile: String?, environment: [String: String], config: Config) {
        self.root = root
        self.configFile = configFile
        self.environment = environment
        self.config = config
    }
}

/// Reads `tenantry.yml` and `.env`, selects the environment and interpolates variables.
public struct ConfigLoader: Sendable {
    public static let fileNames = ["tenantry.yml", "tenantry.yaml"]

    public var processEnvironment: [String: String]
    public var workingDirectory: String

    public init(processEnvironment: [String: String], workingDirectory: String) {
        self.processEnvironment = processEnvironment
        self.workingDirectory = workingDirectory
    }

    /// - Parameters:
    ///   - configPath: `--config`; when nil, `tenantry.yml` in the working directory is used if present.
    ///   - environmentFlag: `--env`, which beats `TENANTRY_ENV`.
    public func load(configPath: String?, environmentFlag: String?) throws(TenantryError) -> Project {
        let configFile = try locateConfigFile(configPath)
        let root = configFile.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path } ?? workingDirectory
        let dotEnvironment = try dotEnv(in: root)
        let environment = dotEnvironment.merging(processEnvironment) { _, process in process }

        var config = Config()
        config.environmentName = nonEmpty(environmentFlag) ?? nonEmpty(environment["TENANTRY_ENV"])
        guard let configFile else {
            if let name = config.environmentName {
                throw .setup("environment '\(name)' was selected but there is no tenantry.yml in \(workingDirectory)",
                             hint: "run tenantry from the project folder or pass --config PATH")
            }
            return Project(root: root, configFile: nil, environment: environment, config: config)
        }
        let name = URL(fileURLWithPath: configFile).lastPathComponent
        let tree = try ConfigNode.parse(yaml: try read(configFile), file: name)
        let selected = try EnvironmentOverlay(file: name).apply(to: tree, selecting: config.environmentName, config: &config)
        let interpolated = try ConfigInterpolator(file: name, interpolation: Interpolation(environment: environment)).expand(selected)
        try ConfigDecoder(file: name).decode(interpolated, into: &config)
        var project = Project(root: root, configFile: configFile, environment: environment, config: config)
        project.origins = ConfigProvenance(file: name, processEnvironment: processEnvironment, dotEnv: dotEnvironment)
            .origins(of: tree, environment: config.environmentName)
        return project
    }

    private func locateConfigFile(_ explicit: String?) throws(TenantryError) -> String? {
        if let explicit {
            let path = explicit.hasPrefix("/") ? explicit : "\(workingDirectory)/\(explicit)"
            guard FileManager.default.fileExists(atPath: path) else {
                throw .setup("config file \(explicit) does not exist", hint: "check --config, or run `tenantry init` to create one")
            }
            return path
        }
        return Self.fileNames.map { "\(workingDirectory)/\($0)" }.first { FileManager.default.fileExists(atPath: $0) }
    }

    private func dotEnv(in root: String) throws(TenantryError) -> [String: String] {
        let path = "\(root)/.env"
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        return try DotEnv.parse(try read(path), file: ".env")
    }

    private func read(_ path: String) throws(TenantryError) -> String {
        let name = URL(fileURLWithPath: path).lastPathComponent
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw .setup("cannot read \(name): it is a directory, not a file", hint: "remove or rename \(path)")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .setup("cannot read \(name): permission denied", hint: "check the permissions of \(path)")
        }
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .setup("cannot read \(name): it is not UTF-8 text or could not be opened", hint: "check \(path)")
        }
    }
}

func nonEmpty(_ value: String?) -> String? {
    guard let value, !value.isEmpty else { return nil }
    return value
}
