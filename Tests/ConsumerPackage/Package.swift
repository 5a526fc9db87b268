// swift-tools-version: 6.1
// A consumer of ChunkStore, built and run by scripts/test-consumer.sh: it checks that
// the README's library snippet builds and runs as written. Sources/Collector/main.swift
// is the README's example; the dependency lines below are the README's.
import PackageDescription

let package = Package(
    name: "Collector",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "ChunkStore", path: "../.."),
    ],
    targets: [
        .executableTarget(name: "Collector", dependencies: [.product(name: "ChunkStore", package: "ChunkStore")]),
    ]
)
