#!/usr/bin/env bash
# The long versions of the crash, fault and fuzz proofs (CI runs short ones):
#   1. hundreds of SIGKILLs of a writer mid-stream, under sync always and interval, and
#      of a writer that compacts every two batches (kills land inside compactions);
#   2. every operation of a workload failed in turn (EIO, ENOSPC, torn write, failed
#      fsync, power loss), for appends and for compactions and drops, and seeded
#      corruption of every file type;
#   3. every fuzz target for a longer time.
# Usage: scripts/prove.sh [kills-per-policy (200)] [fuzz-seconds-per-target (300)]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || export PATH="/opt/swift/usr/bin:$PATH"
kills="${1:-200}"
fuzz="${2:-300}"
bash scripts/install-deps.sh
swift build
log=/tmp/chunkstore-prove.log
: > "$log"
echo "== crash test: $kills kills per mode (sync always, sync interval, compacting)"
CHUNKSTORE_KILL_CYCLES="$kills" swift test --filter CrashSafetyTests 2>&1 | tee -a "$log" | grep -E "crash test|✘|Test run"
echo "== fault injection and corruption"
swift test --filter "FaultInjectionTests|CompactionFaultTests|CorruptionTests" 2>&1 | tee -a "$log" | grep -iE "faultinjection|compactionfault|corruption|✘|Test run"
echo "== fuzzing, ${fuzz}s per target"
bash scripts/fuzz.sh "$fuzz" 2>&1 | tee -a "$log" | grep -E "^== |stat::number_of_executed_units|Done [0-9]+ runs|crash|ERROR"
echo "full log: $log"
