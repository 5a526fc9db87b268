#!/usr/bin/env bash
# The whole test suite under AddressSanitizer, then ThreadSanitizer (separate build folders).
# Usage: scripts/sanitize.sh [address|thread]...   (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || export PATH="/opt/swift/usr/bin:$PATH"
bash scripts/install-deps.sh
sanitizers=("$@")
[ ${#sanitizers[@]} -gt 0 ] || sanitizers=(address thread)
export LSAN_OPTIONS="suppressions=$PWD/Tests/lsan-suppressions.txt:print_suppressions=0"
# Sanitizer runtimes hold freed memory back: the bounded-memory test gets a larger bound,
# and ASan's quarantine of freed blocks is kept to 64 MiB (its default, 256 MiB, alone
# fills most of the bound when ingest frees a batch's arrays every few thousand lines).
export CHUNKSTORE_TEST_RSS_LIMIT_MB=1024
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=64"
for sanitizer in "${sanitizers[@]}"; do
    scratch=".build-$sanitizer"
    echo "== swift test --sanitize=$sanitizer"
    swift build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch"
    CHUNKSTORE_BIN="$PWD/$scratch/debug/chunkstore" swift test --skip-build --disable-xctest --sanitize="$sanitizer" --scratch-path "$scratch"
done
