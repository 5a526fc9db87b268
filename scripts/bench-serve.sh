#!/usr/bin/env bash
# Load test of `chunkstore serve` on loopback (issue 12): wrk hammers the downsample
# endpoint (one meter, 7 days, hourly mean/min/max) while a client writes line protocol
# over HTTP as fast as the server takes it; then every acknowledged point is looked for
# in the store. Prints the figures for BENCHMARKS.md; asserts no timing (the machine is
# shared), only that nothing acknowledged is missing.
#   bash scripts/bench-serve.sh [seconds (20)] [wrk connections (16)] [write points/s (150000; 0: as fast as acknowledged)]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || export PATH="/opt/swift/usr/bin:$PATH"
seconds="${1:-20}"
connections="${2:-16}"
rate="${3:-150000}"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
swift build -c release --product chunkstore >/dev/null
swift build -c release --product chunkstore-server >/dev/null
bin="$(swift build -c release --show-bin-path)/chunkstore"
work="$(mktemp -d)"
pid=""
source scripts/lib/serve.sh
cleanup() { stop_serve; rm -rf "$work"; }
trap cleanup EXIT
db="$work/db"

# 50 meters × 7 days of 1-minute readings, ending now.
python3 - "$work/history.lp" <<'PY'
import sys, time
now = int(time.time()) // 60 * 60
with open(sys.argv[1], "w") as f:
    for m in range(7 * 1440):
        t = now - 7 * 86400 + m * 60
        for d in range(50):
            f.write(f"meter,device=meter-{d:03d} power_w={300 + (m * 7 + d * 13) % 2500}.5,voltage_v={229 + (m + d) % 5}.1 {t}\n")
PY
"$bin" ingest --db "$db" --precision s <"$work/history.lp" >/dev/null 2>&1

start_serve bench-serve "$work/serve.log" "$bin" --db "$db" --sync interval

# The writer: 5,000-line bodies (3 fields each: 15,000 points) over one keep-alive
# connection, paced to the given points/s (0: as fast as they are acknowledged); devices
# writer-0..99, timestamps unique.
python3 - "$port" "$seconds" "$work/writer.json" "$rate" <<'PY' &
import http.client, json, sys, time
port, seconds, out, rate = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3], float(sys.argv[4])
conn = http.client.HTTPConnection("127.0.0.1", port)
start = time.time()
base = int(start) * 1_000_000_000
acked_lines, bodies, n = 0, 0, 0
while time.time() - start < seconds:
    lines = []
    for i in range(5000):
        lines.append(f"w,device=writer-{n % 100} a={n}.5,b={n % 97}i,c={'true' if n % 2 else 'false'} {base + n}")
        n += 1
    conn.request("POST", "/api/v2/write?precision=ns", body="\n".join(lines).encode())
    response = conn.getresponse()
    response.read()
    if response.status != 204:
        print("writer: HTTP", response.status, file=sys.stderr)
        sys.exit(1)
    acked_lines += 5000
    bodies += 1
    if rate > 0:
        ahead = start + acked_lines * 3 / rate - time.time()
        if ahead > 0:
            time.sleep(ahead)
elapsed = time.time() - start
json.dump({"lines": acked_lines, "points": acked_lines * 3, "seconds": elapsed, "base": base}, open(out, "w"))
PY
writer=$!
sleep 1
wrk -t2 -c"$connections" -d"${seconds}s" --latency \
    "http://127.0.0.1:$port/api/v1/query?device=meter-007&from=now-7d&agg=1h&fn=mean,min,max&field=power_w" >"$work/wrk.txt"
wait "$writer"

rps="$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$work/wrk.txt")"
p50="$(sed -n 's/^ *50% *\([0-9.]*[a-z]*\).*/\1/p' "$work/wrk.txt")"
p99="$(sed -n 's/^ *99% *\([0-9.]*[a-z]*\).*/\1/p' "$work/wrk.txt")"
errors="$(grep -E 'Non-2xx|Socket errors' "$work/wrk.txt" || true)"
read -r lines points wsec < <(python3 -c "import json,sys; d=json.load(open('$work/writer.json')); print(d['lines'], d['points'], d['seconds'])")
kill -TERM "$pid"; wait "$pid" || true; pid=""
# Every acknowledged point, by value: line n (device writer-(n % 100), time base + n) must
# be stored with a = n.5, b = n % 97, c = n odd; nothing else of the writer's may be there.
"$bin" query --db "$db" --all-devices --field a,b,c --epoch ns --output csv >"$work/stored.csv" 2>/dev/null
read -r stored stored_points < <(python3 - "$work/writer.json" "$work/stored.csv" <<'PY'
import csv, json, sys
w = json.load(open(sys.argv[1]))
base, lines = w["base"], w["lines"]
found, points, wrong = set(), 0, 0
for row in csv.DictReader(open(sys.argv[2])):
    if not row["device"].startswith("writer-"):
        continue
    n = int(row["time"]) - base
    if not (0 <= n < lines) or row["device"] != f"writer-{n % 100}" or n in found:
        wrong += 1
        continue
    found.add(n)
    ok = [row["a"] == f"{n}.5", row["b"] == str(n % 97), row["c"] == ("true" if n % 2 else "false")]
    points += sum(ok)
    wrong += 3 - sum(ok)
if wrong:
    print(f"bench-serve: {wrong} stored values or rows of the writer do not match what was sent", file=sys.stderr)
print(len(found), points)
PY
)
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "downsample endpoint: $rps requests/s, p50 $p50, p99 $p99 ($connections connections, ${seconds}s)${errors:+; $errors}"
echo "HTTP writes meanwhile: $lines lines, $points points in ${wsec}s = $(python3 -c "print(round($points / $wsec))") points/s"
echo "acknowledged rows found in the store: $stored of $lines; points: $stored_points of $points"
[ "$stored" -eq "$lines" ] && [ "$stored_points" -eq "$points" ] || { echo "bench-serve: acknowledged points missing" >&2; exit 1; }
