#!/usr/bin/env bash
# The dashboard `chunkstore serve` answers at `/`, in headless Chromium (Debian's
# `chromium`, installed if missing): three meters read every 10 s for two hours, one of
# them silent for the last 20 minutes; the page must load with the token from its URL,
# draw the chart (mean line and min-max band) and the table of latest values from that
# data, flag the silent meter stale and only it. Checks the rendered DOM, and keeps a
# screenshot in $CHUNKSTORE_ARTIFACTS (default .build/artifacts/dashboard.png).
#   bash scripts/test-dashboard.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || export PATH="/opt/swift/usr/bin:$PATH"
bash scripts/install-deps.sh
if ! command -v chromium >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
artifacts="${CHUNKSTORE_ARTIFACTS:-$PWD/.build/artifacts}"
mkdir -p "$artifacts"
work="$(mktemp -d)"
pid=""
source scripts/lib/serve.sh
cleanup() { stop_serve; rm -rf "$work"; }
trap cleanup EXIT
{ swift build --product chunkstore && swift build --product chunkstore-server; } >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
bin="$(swift build --show-bin-path)/chunkstore"
db="$work/db"
token="dash-$$-$RANDOM"

python3 - >"$work/data.lp" <<'PY'
import math, time
now = int(time.time())
for i in range(720):
    t = now - 7200 + i * 10
    for m in (1, 2, 3):
        if m == 3 and t > now - 1200:
            continue  # meter-003 went silent 20 minutes ago
        power = 400 + 350 * m + 180 * math.sin(i / 45 + m) + (i * 37 % 60)
        voltage = 229 + (i % 7) * 0.3 + m * 0.2
        print(f"meter,device=meter-00{m} power_w={power:.1f},voltage_v={voltage:.1f},relay_on={'true' if m != 2 else 'false'} {t}")
PY
# One rule: a meter silent for 10 minutes; meter-003 stopped 20 minutes ago, so it fires.
"$bin" ingest --db "$db" </dev/null >/dev/null 2>&1
printf '{"rules": [{"name": "silent", "devices": "meter-*", "stale": "10m", "severity": "warning"}]}\n' >"$work/rules.json"
"$bin" rules set "$work/rules.json" --db "$db" >/dev/null
"$bin" ingest --db "$db" --precision s <"$work/data.lp" 2>/dev/null

start_serve test-dashboard "$work/serve.log" "$bin" --db "$db" --token "$token"
url="http://127.0.0.1:$port/#token=$token"
chrome=(chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --user-data-dir="$work/profile"
        --window-size=1400,1000 --virtual-time-budget=20000)
"${chrome[@]}" --dump-dom "$url" >"$work/dom.html" 2>"$work/chromium.log"
"${chrome[@]}" --screenshot="$artifacts/dashboard.png" "$url" >/dev/null 2>>"$work/chromium.log"

passed=0 failed=0
check() {  # check DESCRIPTION COMMAND...
    local what="$1"; shift
    if "$@"; then echo "ok   $what"; passed=$((passed + 1)); else echo "FAIL $what"; failed=$((failed + 1)); fi
}
dom="$(cat "$work/dom.html")"
check "the page loaded its data (body data-ready)" grep -q '<body data-ready="1"' "$work/dom.html"
check "the device picker lists the 3 meters" test "$(grep -o '<option value="meter-00[123]"' "$work/dom.html" | sort -u | wc -l)" -eq 3
points="$(sed -n 's|.*<svg id="chart"[^>]*data-points="\([0-9]*\)".*|\1|p' "$work/dom.html")"
check "the 1 h chart has ~120 buckets of 30 s with data (got ${points:-none})" test "${points:-0}" -ge 100 -a "${points:-0}" -le 125
mean_points="$(grep -o '<path id="mean" d="[^"]*"' "$work/dom.html" | grep -o '[ML]' | wc -l)"
check "the mean line has a point per bucket ($mean_points)" test "$mean_points" -eq "${points:-x}"
check "the min-max band is drawn" grep -q '<path id="band" d="M[0-9]' "$work/dom.html"
check "the table has a row per device" test "$(grep -o '<tr data-device="meter-00[123]"' "$work/dom.html" | wc -l)" -eq 3
check "meter-003 is flagged stale" grep -q '<tr data-device="meter-003" data-stale="1"' "$work/dom.html"
check "meter-001 and meter-002 are live" test "$(grep -c -o '<tr data-device="meter-00[12]" data-stale="0"' <<<"$(grep -o '<tr data-device="meter-00[12]" data-stale="[01]"' "$work/dom.html")")" -eq 2
check "the table shows the latest power of meter-001" grep -q "$(tail -3 "$work/data.lp" | grep meter-001 | sed 's/.*power_w=\([0-9]*\)\..*/\1/')" "$work/dom.html"
check "the alerts panel lists the silent meter-003 (stale rule)" grep -q '<tr data-rule="silent" data-device="meter-003"' "$work/dom.html"
check "the latest-values table has no column of the alert series" bash -c "! grep -q '<th>severity</th><th>state</th>' '$work/dom.html'"
check "no other alert fires" test "$(grep -o '<tr data-rule=' "$work/dom.html" | wc -l)" -eq 1
check "no error message is shown" grep -q '<div id="message"></div>' "$work/dom.html"
check "a screenshot was taken ($artifacts/dashboard.png)" test -s "$artifacts/dashboard.png"
[ "$failed" -eq 0 ] || { echo "--- DOM ---" >&2; head -c 4000 "$work/dom.html" >&2; cat "$work/chromium.log" >&2; }
echo "test-dashboard: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
