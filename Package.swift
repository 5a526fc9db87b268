// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "ChunkStore",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ChunkStore", targets: ["ChunkStore"]),
        .executable(name: "chunkstore", targets: ["ChunkStoreCLI"]),
        .executable(name: "chunkstore-server", targets: ["ChunkStoreServe"]),
        .executable(name: "Bench", targets: ["Bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        // `chunkstore serve` only (ChunkStoreServer); the ChunkStore library has no dependencies.
        // Without the default traits: no swift-configuration, and FoundationEssentials rather
        // than the whole of Foundation (ICU) linked into the CLI.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        // Already Hummingbird's own dependencies: named here because serve adds a channel
        // handler (its read timeout) of its own.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLZ4",
            pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"])]
        ),
        // zlib, for the gzip bodies InfluxDB clients send to `serve`.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "ChunkStore",
            dependencies: ["CLZ4"]
        ),
        // What the CLI and `serve` share: query options, row output, exit codes and messages.
        .target(
            name: "ChunkStoreCLICore",
            dependencies: ["ChunkStore"]
        ),
        // `chunkstore serve`: the HTTP server, on the library's public API.
        .target(
            name: "ChunkStoreServer",
            dependencies: [
                "ChunkStore",
                "ChunkStoreCLICore",
                "CZlib",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ]
        ),
        .executableTarget(
            name: "ChunkStoreCLI",
            dependencies: [
                "ChunkStore",
                "ChunkStoreCLICore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // A fully static executable (Swift runtime, libstdc++, LZ4 and the C library) spares
            // every run of the CLI the dynamic loader: no shared libraries to map, no symbol
            // lookups, no relocation of position-independent code (BENCHMARKS.md, "The cold
            // CLI"). For this target only, so the library stays linkable as a dependency. The
            // CLI makes no use of what a static glibc cannot do (NSS user and host lookups,
            // dlopen); `serve` runs in the separate, dynamically linked `chunkstore-server`.
            linkerSettings: [
                .unsafeFlags(["-static-executable"], .when(platforms: [.linux])),
                // The static FoundationEssentials (pulled in by ArgumentParser) needs its own
                // support archives, which SwiftPM adds only for its command-line flag.
                .linkedLibrary("_FoundationCollections", .when(platforms: [.linux])),
                .linkedLibrary("_FoundationCShims", .when(platforms: [.linux])),
                .linkedLibrary("swiftSynchronization", .when(platforms: [.linux])),
            ]
        ),
        // `chunkstore serve` execs this second executable, so that SwiftNIO and Hummingbird
        // are not linked into `chunkstore`: their protocol conformances lengthen the
        // runtime's conformance scans that every command pays at start (--version: 4.5 ms
        // of CPU without them, 7.3 ms with them). Linked like the CLI.
        .executableTarget(
            name: "ChunkStoreServe",
            dependencies: ["ChunkStore", "ChunkStoreCLICore", "ChunkStoreServer"],
            linkerSettings: [
                .unsafeFlags(["-static-stdlib"], .when(platforms: [.linux])),
                .linkedLibrary("_FoundationCollections", .when(platforms: [.linux])),
                .linkedLibrary("_FoundationCShims", .when(platforms: [.linux])),
                .linkedLibrary("swiftSynchronization", .when(platforms: [.linux])),
            ]
        ),
        .executableTarget(
            name: "Bench",
            dependencies: [
                "ChunkStore",
                "CSQLite",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .testTarget(
            name: "ChunkStoreTests",
            dependencies: ["ChunkStore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "ChunkStoreCLITests",
            dependencies: ["ChunkStore"]
        ),
        .testTarget(
            name: "ChunkStoreServerTests",
            dependencies: [
                "ChunkStore",
                "ChunkStoreCLICore",
                "ChunkStoreServer",
                "CZlib",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
