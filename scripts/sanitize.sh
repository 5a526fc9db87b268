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
# Sanitizer runtimes hold freed memory back: the bounded-memory test gets a larger bound.
export CHUNKSTORE_TEST_RSS_LIMIT_MB=1024
for sanitizer in "${sanitizers[@]}"; do
    scratch=".build-$sanitizer"
    echo "== swift test --sanitize=$sanitizer"
    swift build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch"
    CHUNKSTORE_BIN="$PWD/$scratch/debug/chunkstore" swift test --skip-build --sanitize="$sanitizer" --scratch-path "$scratch"
done
