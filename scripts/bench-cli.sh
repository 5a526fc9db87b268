#!/usr/bin/env bash
# Cold start of the CLI, the way a shell script or a cron job meets it: a new process per
# question. Builds the release binary, ingests the demo store (a day of 5 meters) and a
# week of 20 meters (5-second readings), then times each command with hyperfine (installed
# if missing) and prints a table.
#   bash scripts/bench-cli.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || export PATH="/opt/swift/usr/bin:$PATH"
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
runs="${1:-200}"

swift build -c release --product chunkstore >/dev/null
bin="$(swift build -c release --show-bin-path)/chunkstore"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
db="$work/db"
# The default store of scripts/demo.sh: one day of 5 meters.
python3 scripts/generate_meter_data.py --meters 5 --date 2026-01-01 | "$bin" ingest --db "$work/demo" --precision s
for day in 2026-01-01 2026-01-02 2026-01-03 2026-01-04 2026-01-05 2026-01-06 2026-01-07; do
    python3 scripts/generate_meter_data.py --meters 20 --date "$day" | "$bin" ingest --db "$db" --precision s
done
echo "linked libraries: $( (ldd "$bin" 2>/dev/null || true) | grep -c '=>' || true) (0: a static executable)"
hyperfine -N -w 10 -r "$runs" --export-markdown "$work/cli.md" \
    -n "version" "$bin --version" \
    -n "demo: last" "$bin last --db $work/demo" \
    -n "demo: query --agg 1h" "$bin query --db $work/demo --device meter-001 --agg 1h" \
    -n "last (20 devices)" "$bin last --db $db --output csv" \
    -n "query 1 h raw" "$bin query --db $db --device meter-001 --from 2026-01-03T12:00:00Z --to 2026-01-03T13:00:00Z --output csv" \
    -n "query 7 d, --agg 1h" "$bin query --db $db --device meter-001 --from 2026-01-01 --to 2026-01-08 --agg 1h --output csv" \
    >/dev/null
cat "$work/cli.md"
