#!/usr/bin/env bash
# Builds every libFuzzer target in Fuzz/ together with the library sources (one module, so
# the targets reach internal decoders) and runs each for a bounded time.
#   scripts/fuzz.sh [seconds-per-target] [target...]
# Default 30 s per target, every target. Exits non-zero on a build failure or any crash;
# crash inputs are left in .build-fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-30}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(chunk column wal index manifest ingest)
fi

swiftc="${SWIFTC:-swiftc}"
out=.build-fuzz
mkdir -p "$out"
mapfile -t library < <(find Sources/ChunkStore -name '*.swift' | sort)

status=0
for target in "${targets[@]}"; do
    binary="$out/$target"
    echo "== building $target"
    "$swiftc" -sanitize=fuzzer,address -parse-as-library ${FUZZ_OPT:--Onone} -g \
        -module-name ChunkStore -package-name chunkstore \
        -I Sources/CLZ4 -Xcc -I/usr/include -llz4 \
        "${library[@]}" Fuzz/FuzzSupport.swift "Fuzz/$target.swift" -o "$binary" 2>"$out/$target.build.log" || {
        # The sanitizer runtime makes gold warn about every local symbol; show only errors.
        grep -v "warning: Cannot export local symbol" "$out/$target.build.log" >&2
        exit 1
    }

    corpus="$out/corpus/$target"
    artifacts="$out/artifacts/$target"
    mkdir -p "$corpus" "$artifacts"
    echo "== running $target for ${seconds}s"
    # New inputs go to the scratch corpus; the seeds in Fuzz/corpus stay as committed.
    if ! "$binary" "$corpus" "Fuzz/corpus/$target" -max_total_time="$seconds" -max_len=4096 \
            -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
            -artifact_prefix="$artifacts/" 2>"$out/$target.log"; then
        echo "!! $target crashed; input in $artifacts/ (log: $out/$target.log)"
        grep -E "ERROR|Fatal error|SUMMARY" "$out/$target.log" | head -5 || true
        status=1
    fi
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$out/$target.log" | sed "s/^/   $target /" || true
done
exit $status
