#!/usr/bin/env bash
# The main job on a fresh Debian machine: install what the build needs, build the
# release binary, generate a day of smart-meter readings, ingest them into the
# default store (./chunkstore-data) and print an hourly downsample of one meter.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || export PATH="/opt/swift/usr/bin:$PATH"

bash scripts/install-deps.sh

swift build -c release --product chunkstore
BIN="$(swift build -c release --show-bin-path)/chunkstore"

DAY="${DEMO_DATE:-$(date -u -d yesterday +%F)}"
echo "demo: ingesting one day ($DAY) of 5-second readings from 5 meters into ${CHUNKSTORE_DB:-./chunkstore-data}" >&2
python3 scripts/generate_meter_data.py --meters 5 --date "$DAY" | "$BIN" ingest --precision s
"$BIN" query --device meter-001 --from "${DAY}T00:00:00Z" --to now \
    --agg 1h --fn mean,min,max --field power_w --output table
