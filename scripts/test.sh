#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: installs the C libraries the
# package links (LZ4 for the store, SQLite for the benchmark) if missing, builds
# (the CLI tests run the built chunkstore executable) and runs every test.
# Every test uses Swift Testing (TestSuiteConventionTests checks that no file imports
# XCTest), so XCTest's runner is disabled: it would only print "Executed 0 tests".
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || export PATH="/opt/swift/usr/bin:$PATH"

bash scripts/install-deps.sh

swift build
swift test --disable-xctest
