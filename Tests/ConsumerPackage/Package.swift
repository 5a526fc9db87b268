// swift-tools-version: 6.1
// A consumer of ChunkStore, built by scripts/test-consumer.sh: it checks that the README's
// library snippets build as written. Sources/Collector/main.swift is the README's first
// example (also run), Sources/Service/main.swift its Hummingbird service; the dependency
// lines below are the README's.
import PackageDescription

let package = Package(
    name: "Collector",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "ChunkStore", path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
    ],
    targets: [
        .executableTarget(name: "Collector", dependencies: [.product(name: "ChunkStore", package: "ChunkStore")]),
        .executableTarget(name: "Service", dependencies: [
            .product(name: "ChunkStore", package: "ChunkStore"),
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
    ]
)
