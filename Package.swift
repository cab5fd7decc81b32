// swift-tools-version:6.1
// Passage: migration case management. Layering (each target imports only those below it):
//   passage → PassageConsole, PassageHTTP → PassageServices → PassageStore → Postgres → CLibPQ
//   (passage, PassageConsole and PassageHTTP, the interfaces, reach the store only through PassageServices)
//   PassageStore → EmbeddedPostgres (process management of a private cluster; no libpq)
//   PassageCore: pure domain, no I/O, imported by everything above.
//   passage-bench (PassageBench): the load drivers of Deploy/bench/, apart from the product; may import any library.
import PackageDescription

let package = Package(
    name: "Passage",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "passage", targets: ["passage"]),
        .executable(name: "passage-bench", targets: ["PassageBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // HMAC-SHA256 for the audit anchors (Docs/security.md "6. Audit"): a key the database never sees.
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        // bcrypt in the application (Docs/security.md "5. Secrets stay in the application"); only its
        // HummingbirdBcrypt product (a C target) is built.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        // The HTTP API and web pages (Docs/http-api.md). Traits off: swift-configuration is not used
        // (`passage serve` reads its own options), which saves its build.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        // Hummingbird's own: a graceful shutdown of the HTTP listener when `passage serve` stops.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // Metrics (Docs/operations.md "Logs and metrics"): the swift-metrics API in the targets that count,
        // Prometheus's text format on the separate --metrics-listen listener.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // libxlsxwriter (Debian's libxlsxwriter-dev): the XLSX form of STATS, GAPS, exports and reports,
        // written by PassageServices' XLSXWorkbook only.
        .systemLibrary(
            name: "CXLSXWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        .target(
            name: "PassageCore"
        ),
        .target(
            name: "Postgres",
            dependencies: [
                "CLibPQ",
                .product(name: "Metrics", package: "swift-metrics"),  // pool wait, database errors
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "EmbeddedPostgres",
            dependencies: [
                .product(name: "Logging", package: "swift-log")
            ]
        ),
        .target(
            name: "PassageStore",
            dependencies: [
                "PassageCore", "Postgres", "EmbeddedPostgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            plugins: ["EmbedSchema"]
        ),
        // Schema/*.sql compiled into PassageStore (MigrationSet.compiledIn): the binary needs no Schema/ beside it.
        .plugin(name: "EmbedSchema", capability: .buildTool()),
        // Application services: one type per area; each use case owns its transaction, its
        // organisation scope and one typed audit entry (Docs/architecture.md). The interfaces
        // (PassageConsole, passage, the coming HTTP API) call these and nothing below them.
        .target(
            name: "PassageServices",
            dependencies: [
                "PassageCore", "PassageStore", "Postgres", "EmbeddedPostgres",
                "CXLSXWriter",  // XLSXWorkbook: spreadsheets of published tables
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),  // CallerLoop: the event loop a quick use case may run on
                .product(name: "Metrics", package: "swift-metrics"),  // rollup age, audit chain length
                .product(name: "Crypto", package: "swift-crypto"),  // the personal-data key's fingerprint in backups
            ]
        ),
        .target(
            name: "PassageConsole",
            dependencies: [
                "PassageCore", "PassageServices",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),  // TLSUserEvent: the handshake deadline
                .product(name: "Metrics", package: "swift-metrics"),  // commands, latency, connections
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The HTTP API (OpenAPI 3.1, generated from its operation declarations) and the web pages.
        // An interface like the console: PassageServices and PassageCore only.
        .target(
            name: "PassageHTTP",
            dependencies: [
                "PassageCore", "PassageServices",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),  // HMAC of the web forms' CSRF field
                .product(name: "Metrics", package: "swift-metrics"),  // requests, latency, connections
                .product(name: "Prometheus", package: "swift-prometheus"),  // the /metrics listener
            ]
        ),
        .executableTarget(
            name: "passage",
            dependencies: [
                "PassageCore", "PassageServices", "PassageConsole", "PassageHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "PassageBench",
            dependencies: [
                "PassageCore", "PassageConsole", "Postgres", "PassageStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "PassageCore", "Postgres", "EmbeddedPostgres", "PassageStore",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "PassageCoreTests", dependencies: ["PassageCore"], exclude: ["Fixtures"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(name: "PassageStoreTests", dependencies: ["PassageStore", "TestSupport"]),
        .testTarget(name: "PassageServicesTests", dependencies: ["PassageServices", "TestSupport"]),
        .testTarget(
            name: "PassageConsoleTests",
            dependencies: [
                "PassageConsole", "TestSupport", .product(name: "Prometheus", package: "swift-prometheus"),
            ]),
        .testTarget(
            name: "PassageHTTPTests",
            dependencies: [
                "PassageHTTP", "PassageConsole", "PassageServices", "PassageStore", "Postgres", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]),
        // The executable's own logic: configuration file and environment, systemd notification.
        .testTarget(name: "PassageCommandTests", dependencies: ["passage", "PassageServices"]),
        .testTarget(
            name: "PassageBenchTests",
            dependencies: [
                "PassageBench", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
    ]
)

// libFuzzer targets (Deploy/drills/fuzz.sh, Docs/reliability.md). Only with PASSAGE_FUZZ=1, built
// with `-Xswiftc -sanitize=fuzzer` in their own scratch path: normal builds never see them.
// FramingFuzz compiles links to the console's LineFramer.swift, Tokenizer.swift and WordQuoting.swift, so the
// instrumented build needs neither NIO nor BoringSSL nor libpq.
if Context.environment["PASSAGE_FUZZ"] == "1" {
    package.targets += [
        .executableTarget(name: "FramingFuzz", path: "Tests/Fuzz/FramingFuzz"),
        .executableTarget(name: "FactsFuzz", dependencies: ["PassageCore"], path: "Tests/Fuzz/FactsFuzz"),
    ]
}
