#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: installs the C libraries the
# package links (LZ4 for the store, SQLite for the benchmark) if missing, builds
# (the CLI tests run the built chunkstore executable) and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || export PATH="/opt/swift/usr/bin:$PATH"

bash scripts/install-deps.sh

swift build
swift test
