// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Tenantry",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tenantry", targets: ["tenantry"]),
        .library(name: "Tenantry", targets: ["Tenantry"]),
        .library(name: "TenantryCore", targets: ["TenantryCore"]),
        .library(name: "TenantryPostgres", targets: ["TenantryPostgres"]),
        .library(name: "PgQuery", targets: ["PgQuery"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CPgQuery",
            pkgConfig: nil,
            providers: [.apt(["libpg-query-dev"]), .brew(["libpg_query"])]
        ),
        .target(name: "PgQuery", dependencies: ["CPgQuery"]),
        .target(
            name: "TenantryCore",
            dependencies: [
                "PgQuery",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "TenantryPostgres",
            dependencies: [
                "TenantryCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Tenantry",
            dependencies: [
                "TenantryCore",
                "TenantryPostgres",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TenantryCLI",
            dependencies: [
                "Tenantry",
                "TenantryCore",
                "TenantryPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "tenantry", dependencies: ["TenantryCLI"]),
        .target(
            name: "TenantryTestSupport",
            dependencies: ["TenantryCore"],
            path: "Tests/TenantryTestSupport"
        ),
        .testTarget(name: "PgQueryTests", dependencies: ["PgQuery"]),
        .testTarget(
            name: "TenantryCoreTests",
            dependencies: ["TenantryCore", "TenantryTestSupport"],
            exclude: ["SplitterCorpus"]
        ),
        .testTarget(
            name: "TenantryPostgresTests",
            dependencies: [
                "TenantryPostgres",
                "TenantryTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(name: "TenantryCLITests", dependencies: ["TenantryCLI", "TenantryPostgres", "TenantryTestSupport"]),
        .testTarget(name: "TenantryTests", dependencies: ["Tenantry", "TenantryTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
