#!/usr/bin/env bash
# `chunkstore serve` against InfluxDB's own Python clients: `influxdb` (v1 API) and
# `influxdb-client` (v2 API), from PyPI. Starts the server on a free loopback port with a
# token, writes through both clients (plain, gzip, and a body with a bad line, which must
# answer 400 naming that line and store the good one), checks ping and a refused token,
# stops the server with SIGTERM (exit 0), then checks every row with `chunkstore query`.
# Exits non-zero on any mismatch. Installs what it needs (idempotent, quiet).
#   bash scripts/test-influx-clients.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || export PATH="/opt/swift/usr/bin:$PATH"
bash scripts/install-deps.sh
if ! python3 -c 'import influxdb, influxdb_client' 2>/dev/null; then
    python3 -m pip install -q --disable-pip-version-check influxdb influxdb-client 2>/dev/null \
        || python3 -m pip install -q --disable-pip-version-check --break-system-packages influxdb influxdb-client
fi

work="$(mktemp -d)"
pid=""
source scripts/lib/serve.sh
cleanup() { stop_serve; rm -rf "$work"; }
trap cleanup EXIT
{ swift build --product chunkstore && swift build --product chunkstore-server; } >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
bin="$(swift build --show-bin-path)/chunkstore"
db="$work/db"
token="ci-token-$$-$RANDOM"

start_serve test-influx-clients "$work/serve.log" "$bin" --db "$db" --token "$token"

python3 - "$port" "$token" "$work/passed" <<'PY'
import sys
from influxdb import InfluxDBClient as V1Client
from influxdb.exceptions import InfluxDBClientError
from influxdb_client import InfluxDBClient as V2Client, Point, WritePrecision
from influxdb_client.client.write_api import SYNCHRONOUS
from influxdb_client.rest import ApiException

port, token, passed_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
url = f"http://127.0.0.1:{port}"
failures = []
passed = []

def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    (passed if ok else failures).append(what)

# v1: JSON points, a gzip client, and a body with a bad second line.
v1 = V1Client(host="127.0.0.1", port=port, username="ci", password=token, database="meters")
check(v1.ping().startswith("chunkstore-"), "v1 ping reports X-Influxdb-Version")
check(v1.write_points([{"measurement": "power", "tags": {"device": "v1-meter"}, "time": 1767225600,
                        "fields": {"power_w": 1.5, "count": 3}}], time_precision="s"), "v1 write_points")
v1gz = V1Client(host="127.0.0.1", port=port, username="ci", password=token, database="meters", gzip=True)
check(v1gz.write_points([{"measurement": "power", "tags": {"device": "v1-gzip"}, "time": 1767225660,
                          "fields": {"power_w": 2.0}}], time_precision="s"), "v1 gzip write_points")
try:
    v1.write_points(["power,device=v1-bad power_w=5 1767225600", "power,device=v1-bad power_w=oops 1767225601"],
                    protocol="line", time_precision="s")
    check(False, "v1 bad line answers 400")
except InfluxDBClientError as e:
    check(e.code == 400 and "line 2:" in str(e.content) and '"code":"invalid"' in str(e.content),
          f"v1 bad line answers 400 naming line 2 ({e.code} {e.content!r})")
try:
    V1Client(host="127.0.0.1", port=port, username="ci", password="wrong", database="meters").write_points(
        [{"measurement": "power", "tags": {"device": "intruder"}, "time": 1, "fields": {"power_w": 1.0}}])
    check(False, "v1 wrong password answers 401")
except InfluxDBClientError as e:
    check(e.code == 401, f"v1 wrong password answers 401 ({e.code})")

# v2: Points, a gzip client, and a body with a bad second line.
with V2Client(url=url, token=token, org="org") as v2:
    check(v2.ping(), "v2 ping")
    write = v2.write_api(write_options=SYNCHRONOUS)
    write.write(bucket="meters", record=Point("power").tag("device", "v2-meter").field("power_w", 7.25)
                .time(1767225600, WritePrecision.S), write_precision=WritePrecision.S)
    check(True, "v2 write Point")
    try:
        write.write(bucket="meters", record="power,device=v2-bad power_w=9 1767225600\npower,device=v2-bad power_w= 1767225601",
                    write_precision=WritePrecision.S)
        check(False, "v2 bad line answers 400")
    except ApiException as e:
        check(e.status == 400 and "line 2:" in (e.body or "") and '"code":"invalid"' in (e.body or ""),
              f"v2 bad line answers 400 naming line 2 ({e.status} {e.body!r})")
with V2Client(url=url, token=token, org="org", enable_gzip=True) as v2gz:
    v2gz.write_api(write_options=SYNCHRONOUS).write(bucket="meters", record="power,device=v2-gzip power_w=8.5 1767225600000",
                                                    write_precision=WritePrecision.MS)
    check(True, "v2 gzip write")
with V2Client(url=url, token="wrong", org="org") as bad:
    try:
        bad.write_api(write_options=SYNCHRONOUS).write(bucket="meters", record="power,device=intruder power_w=1 1")
        check(False, "v2 wrong token answers 401")
    except ApiException as e:
        check(e.status == 401, f"v2 wrong token answers 401 ({e.status})")
open(passed_file, "w").write(str(len(passed)))
sys.exit(1 if failures else 0)
PY

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=""
[ "$status" -eq 0 ] || { cat "$work/serve.log" >&2; echo "test-influx-clients: serve exited $status after SIGTERM" >&2; exit 1; }
echo "ok   serve exits 0 on SIGTERM"

expected="device,time,power_w
v1-bad,1767225600,5.0
v1-gzip,1767225660,2.0
v1-meter,1767225600,1.5
v2-bad,1767225600,9.0
v2-gzip,1767225600,8.5
v2-meter,1767225600,7.25"
actual="$("$bin" query --db "$db" --all-devices --field power_w --output csv --epoch s)"
if [ "$actual" != "$expected" ]; then
    echo "test-influx-clients: stored rows differ from what the clients wrote" >&2
    diff <(echo "$expected") <(echo "$actual") >&2 || true
    exit 1
fi
echo "ok   every written row is stored, nothing else (chunkstore query)"
echo "test-influx-clients: $(( $(cat "$work/passed") + 2 )) passed, 0 failed"
