#!/usr/bin/env bash
# The long crash-safety run: hundreds of SIGKILLs of a writer mid-stream, per sync policy.
# Usage: scripts/crash-test.sh [kills-per-policy]   (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || export PATH="/opt/swift/usr/bin:$PATH"
swift build
CHUNKSTORE_KILL_CYCLES="${1:-200}" swift test --filter CrashSafetyTests 2>&1 | tee /tmp/chunkstore-crash-test.log | grep -E "crash test|✘|Test run"
