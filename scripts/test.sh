#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: installs the C libraries the
# package links (LZ4 for the store, SQLite for the benchmark) if missing, builds
# (the CLI tests run the built chunkstore executable) and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || export PATH="/opt/swift/usr/bin:$PATH"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
missing=()
command -v pkg-config >/dev/null || missing+=(pkg-config)
if ! command -v pkg-config >/dev/null || ! pkg-config --exists liblz4; then missing+=(liblz4-dev); fi
if ! command -v pkg-config >/dev/null || ! pkg-config --exists sqlite3; then missing+=(libsqlite3-dev); fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "test: installing ${missing[*]}" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

swift build
swift test
