#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: installs the C libraries the
# package links (LZ4 for the store, SQLite for the benchmark) if missing, builds
# (the CLI tests run the built chunkstore executable) and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || export PATH="/opt/swift/usr/bin:$PATH"

bash scripts/install-deps.sh

# Every test uses Swift Testing, so XCTest's runner is switched off: it would otherwise
# close with "Executed 0 tests, with 0 failures" beside Swift Testing's real count. A
# test file importing XCTest would then be skipped silently, so refuse one.
if grep -rl --include='*.swift' '^import XCTest' Tests; then
    echo "test.sh: the files above import XCTest; write them with Swift Testing (import Testing)" >&2
    exit 1
fi
swift build
swift test --disable-xctest
