#!/bin/sh
# CI smoke test for the benchmark: every workload runs on both engines and their answers
# agree. No timing assertions. Bench exits 1 when the engines disagree, 2 on any error.
set -eu
cd "$(dirname "$0")/.."
swift run -c release Bench --quick --runs 1 --json "${BENCH_SMOKE_JSON:-/tmp/bench-smoke.json}" "$@"
# The live-store workloads (a fragmented store compacted, a reader following a feed) make
# their own data: run them quick too, so they keep working.
exec swift run -c release Bench --quick --runs 1 --workloads live-compaction,live-freshness,live-concurrency
