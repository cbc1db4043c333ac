// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Tocsin",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tocsind", targets: ["tocsind"]),
        .executable(name: "tocsin", targets: ["tocsin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "TocsinCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "TocsinConfig",
            dependencies: ["TocsinCore", "Yams"]
        ),
        .target(
            name: "TocsinStore",
            dependencies: ["TocsinCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")]
        ),
        .target(
            name: "TocsinPostgres",
            dependencies: [
                "TocsinCore", "TocsinStore", "TocsinConfig",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TocsinPager",
            dependencies: ["TocsinCore", "CCurl", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "TocsinEngine",
            dependencies: [
                "TocsinCore", "TocsinStore", "TocsinPager",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "TocsinHTTP",
            dependencies: [
                "TocsinCore", "TocsinStore", "TocsinEngine", "TocsinConfig",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [
                .embedInCode("Console/Assets/console.css"), .embedInCode("Console/Assets/console.js"),
                .embedInCode("OpenAPI/openapi.json"),
            ]
        ),
        // Man pages written from the commands' own definitions.
        .target(name: "TocsinManual", dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(
            name: "tocsind",
            dependencies: [
                "TocsinHTTP", "TocsinConfig", "TocsinPostgres", "TocsinManual",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "tocsin",
            dependencies: [
                "TocsinCore", "TocsinConfig", "TocsinPager", "TocsinHTTP", "TocsinStore", "TocsinPostgres", "TocsinManual",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `make bench-timers`: not a test; built in release mode and run on demand.
        .executableTarget(
            name: "tocsin-bench-timers",
            dependencies: [
                "TocsinCore", "TocsinConfig", "TocsinStore", "TocsinPostgres", "TocsinEngine", "TocsinPager", "TocsinHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/TocsinBenchTimers"
        ),
        .executableTarget(
            name: "tocsin-bench",
            dependencies: ["TocsinPager", "TocsinTestSupport", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Sources/TocsinBench"
        ),
        // `make chaos`: three tocsind on PostgreSQL, instances and the primary killed mid-load.
        .executableTarget(
            name: "tocsin-chaos",
            dependencies: ["TocsinHTTP", "TocsinPager", "TocsinTestSupport", .product(name: "Logging", package: "swift-log")],
            path: "Sources/TocsinChaos"
        ),
        // `make bench-console`: the console's speed targets against the release tocsind.
        .executableTarget(
            name: "tocsin-bench-console",
            dependencies: ["TocsinCore", "TocsinPager", "TocsinTestSupport"],
            path: "Sources/TocsinBenchConsole"
        ),
        // `make bench-retention`: the SQLite file's size under a steady load, retention off and on.
        .executableTarget(
            name: "tocsin-bench-retention",
            dependencies: ["TocsinCore", "TocsinStore", "TocsinEngine", "TocsinPager", "TocsinHTTP", "TocsinTestSupport", .product(name: "Logging", package: "swift-log")],
            path: "Sources/TocsinBenchRetention"
        ),
        .executableTarget(name: "tocsin-bench-export", dependencies: ["TocsinCore", "TocsinStore"], path: "Sources/TocsinBenchExport"),
        // Starts the real binaries (tocsind, and the monitoring programs it integrates with) for tests.
        .target(
            name: "TocsinTestSupport",
            dependencies: ["TocsinCore", "TocsinHTTP", "TocsinPager", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Tests/TocsinTestSupport"
        ),
        .testTarget(name: "TocsinCoreTests", dependencies: ["TocsinCore"]),
        .testTarget(name: "TocsinConfigTests", dependencies: ["TocsinConfig", "TocsinCore"]),
        .testTarget(name: "TocsinPagerTests", dependencies: ["TocsinPager", "TocsinHTTP", "TocsinTestSupport"]),
        .testTarget(
            name: "TocsinEndToEndTests",
            dependencies: [
                "TocsinCore", "TocsinConfig", "TocsinStore", "TocsinPostgres", "TocsinEngine", "TocsinHTTP", "TocsinPager", "TocsinTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                "Yams",
            ]
        ),
        // Real Prometheus, an Alertmanager HA pair and PagerDuty's Events API v2 client against the real tocsind.
        .testTarget(
            name: "TocsinIntegrationTests",
            dependencies: [
                "TocsinCore", "TocsinHTTP", "TocsinPager", "TocsinTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
    ]
)
