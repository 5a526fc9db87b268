#!/usr/bin/env bash
# `chunkstore serve` on a disk that really fills: a 2 MiB tmpfs holds the store, and a
# client writes batches of fresh rows until a write is refused. That write must be 507
# in InfluxDB's JSON error shape naming the store and "No space left on device"; the
# server must go on answering (reads, and 507 for further writes). Then the disk is
# grown, the server restarted on the same store, and every row of every write answered
# 204 must be there (and a new write is stored again).
# Needs root (mount); skips with a message, exit 0, when mounting is not permitted.
#   bash scripts/test-serve-full-disk.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || export PATH="/opt/swift/usr/bin:$PATH"
name=test-serve-full-disk

work="$(mktemp -d)"
mnt="$work/disk"
mkdir -p "$mnt"
pid=""
source scripts/lib/serve.sh
cleanup() {
    stop_serve
    if mountpoint -q "$mnt"; then umount "$mnt" || umount -l "$mnt" || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

if [ "$(id -u)" != 0 ]; then
    echo "$name: SKIPPED: needs root to mount a small tmpfs (CI runs it as root)"
    exit 0
fi
if ! mount -t tmpfs -o size=2m tmpfs "$mnt" 2>"$work/mount.err"; then
    echo "$name: SKIPPED: mounting a tmpfs is not permitted here: $(cat "$work/mount.err")"
    exit 0
fi

bash scripts/install-deps.sh
{ swift build --product chunkstore && swift build --product chunkstore-server; } >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
bin="$(swift build --show-bin-path)/chunkstore"
db="$mnt/db"

start_serve "$name" "$work/serve.log" "$bin" --db "$db" --sync always
python3 - "$port" "$work/acked.lp" "$work/refused.json" <<'PY'
import http.client, json, sys
port, acked_path, refused_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
acked = open(acked_path, "w")
def post(body):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    c.request("POST", "/write?db=x&precision=s", body=body)
    r = c.getresponse()
    return r.status, r.read().decode()
base, batch = 1767225600, 0
while True:
    # 200 rows of 4 fields each, on 20 devices: about 20 KB of line protocol.
    lines = []
    for i in range(200):
        t = base + batch * 200 + i
        lines.append(f"m,device=meter-{i % 20:02d} power_w={t % 977}.5,voltage_v=23{i % 10}.1,energy_kwh={t}i,seq={batch * 1000 + i}u {t}")
    body = "\n".join(lines) + "\n"
    status, text = post(body)
    if status == 204:
        acked.write(body)
        batch += 1
        if batch > 2000:
            sys.exit("the 2 MiB disk never filled after 2000 batches")
        continue
    if status != 507:
        sys.exit(f"a write on a filling disk answered {status}, not 507: {text}")
    error = json.loads(text)
    if error.get("code") != "insufficient storage" or "No space left on device" not in error.get("message", "") \
            or "out of disk space" not in error.get("message", ""):
        sys.exit(f"the 507 does not say the disk is full: {text}")
    json.dump(error, open(refused_path, "w"))
    if batch < 2:
        sys.exit(f"the disk filled after only {batch} batches: the test proves little")
    print(f"{batch} writes ({batch * 200} rows) answered 204, then 507: {error['message']}")
    break
# The server goes on: reads answer, and further writes are 507 too, saying why.
c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
c.request("GET", "/api/v1/devices")
r = c.getresponse()
if r.status != 200 or "meter-00" not in r.read().decode():
    sys.exit(f"reads failed after the disk filled: {r.status}")
status, text = post('m,device=late v=1 1767225600\n')
if status != 507 or "disk" not in text:
    sys.exit(f"a write after the disk filled answered {status}: {text}")
PY
grep -q "$mnt/db" "$work/refused.json" || { echo "$name: the 507 does not name the store $db: $(cat "$work/refused.json")" >&2; exit 1; }
# The store cannot seal on a full disk: stopping may fail, but must not lose a row
# acknowledged (those are in the fsynced log).
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=""
echo "serve stopped on the full disk with status $status: $(tail -n 1 "$work/serve.log")"

# More room, the same store: a new server recovers it, and every acknowledged row is there.
mount -o remount,size=64m "$mnt"
start_serve "$name" "$work/serve2.log" "$bin" --db "$db"
python3 - "$port" "$work/acked.lp" <<'PY'
import http.client, json, sys
port = int(sys.argv[1])
def call(method, path, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    c.request(method, path, body=body)
    r = c.getresponse()
    return r.status, r.read().decode()
status, text = call("GET", "/api/v1/query?all=true&epoch=s&field=energy_kwh")
if status != 200:
    sys.exit(f"the query after the restart answered {status}: {text[:300]}")
acked = set()
for line in open(sys.argv[2]):
    head, fields, t = line.split(" ")
    device, t = head.split("device=")[1], int(t)
    kwh = int(fields.split("energy_kwh=")[1].split("i")[0])
    acked.add((device, t, kwh))
stored = set()
def walk(value):
    # Accept the query's JSON whatever its nesting: collect (device, time, energy_kwh).
    if isinstance(value, dict):
        if "device" in value and "time" in value and "energy_kwh" in value:
            stored.add((value["device"], int(value["time"]), int(value["energy_kwh"])))
        for v in value.values():
            walk(v)
    elif isinstance(value, list):
        for v in value:
            walk(v)
walk(json.loads(text))
missing = acked - stored
if not acked or missing:
    sys.exit(f"{len(missing)} of {len(acked)} acknowledged rows are missing after the restart, e.g. {sorted(missing)[:3]}")
extra = stored - acked
if extra:
    sys.exit(f"{len(extra)} rows of writes answered 507 came back after the restart, e.g. {sorted(extra)[:3]}")
print(f"all {len(acked)} acknowledged rows are stored, and nothing of the refused writes ({len(stored)} rows in the store)")
status, text = call("POST", "/write?db=x&precision=s", "m,device=after-restart v=1 1767225600")
if status != 204:
    sys.exit(f"a write after freeing space answered {status}: {text}")
PY
stop_serve
echo "$name: OK"
