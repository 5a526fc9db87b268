#!/usr/bin/env bash
# Builds and runs the README's library example as a consumer package would
# (Tests/ConsumerPackage), so that the snippet stays buildable as written:
#   1. Tests/ConsumerPackage/Sources/Collector/main.swift must equal the README's example,
#      Sources/Service/main.swift its Hummingbird service, and the README's dependency
#      lines must be the ones the consumer uses;
#   2. path dependency (`.package(name: "ChunkStore", path: ...)` on this checkout, whatever
#      its directory is called): build, run, check the output; build the service;
#   3. URL dependency (a local clone reached by a file:// URL ending in ChunkStore.git):
#      the package graph must resolve and validate (`swift package describe`), which is
#      where a wrong package identity fails; the code itself was compiled in step 2.
# Uses its own scratch directory ($CONSUMER_SCRATCH, default /tmp/chunkstore-consumer),
# never .build. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || export PATH="/opt/swift/usr/bin:$PATH"
bash scripts/install-deps.sh

root="$PWD"
scratch="${CONSUMER_SCRATCH:-/tmp/chunkstore-consumer}"
consumer="$root/Tests/ConsumerPackage"
mkdir -p "$scratch"

# 1. The consumer is the README's example, and the README's dependency lines.
python3 - "$root/README.md" "$consumer/Sources/Collector/main.swift" "$consumer/Sources/Service/main.swift" <<'PY'
import re, sys
readme, main = open(sys.argv[1]).read(), open(sys.argv[2]).read()
section = readme[readme.index("## The library in a service"):]
example = re.search(r"```swift\n(import ChunkStore\n.*?)```", section, re.S)
if not example or example.group(1) != main:
    sys.exit("test-consumer: Tests/ConsumerPackage/Sources/Collector/main.swift differs from the README's example")
service = re.search(r"```swift\n(import ChunkStore\nimport Foundation\nimport Hummingbird\n.*?)```", section, re.S)
if not service or service.group(1) != open(sys.argv[3]).read():
    sys.exit("test-consumer: Tests/ConsumerPackage/Sources/Service/main.swift differs from the README's Hummingbird service")
for line in ['.package(name: "ChunkStore", path: ', '.product(name: "ChunkStore", package: "ChunkStore")',
             '.package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0")',
             '.product(name: "Hummingbird", package: "hummingbird")']:
    if line not in section:
        sys.exit(f"test-consumer: the README's Package.swift snippet lacks {line}")
PY
grep -qF '.package(name: "ChunkStore", path: "../.."),' "$consumer/Package.swift"
grep -qF '.product(name: "ChunkStore", package: "ChunkStore")' "$consumer/Package.swift"
grep -qF '.package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),' "$consumer/Package.swift"

# 2. Path dependency: build and run. (No binary of an earlier run may stand in for a failed build.)
rm -f "$scratch/path/debug/Collector" "$scratch/path/debug/Service"
swift build --package-path "$consumer" --scratch-path "$scratch/path" --product Collector 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\]' || true
binary="$scratch/path/debug/Collector"
[ -x "$binary" ] || { echo "test-consumer: the consumer did not build" >&2; exit 1; }
run="$scratch/run"
rm -rf "$run" && mkdir -p "$run"
output="$(cd "$run" && "$binary")"
expected="meter-001 1767225600000000000 1234.5
1 rows in the first hour; 1 hourly bucket(s)"
if [ "$output" != "$expected" ]; then
    printf 'test-consumer: unexpected output:\n%s\nexpected:\n%s\n' "$output" "$expected" >&2
    exit 1
fi
echo "test-consumer: path dependency builds and runs the README example"

# The README's Hummingbird service builds as written (it serves until stopped, so it is not run here).
if ! swift build --package-path "$consumer" --scratch-path "$scratch/path" --product Service > "$scratch/service-build.log" 2>&1; then
    grep -vE '^\[[0-9]+/[0-9]+\]' "$scratch/service-build.log" | tail -40 >&2
    echo "test-consumer: the README's Hummingbird service did not build" >&2
    exit 1
fi
echo "test-consumer: the README's Hummingbird service builds"

# 3. URL dependency: the identity comes from the URL's last component.
url="$scratch/url"
rm -rf "$url" && mkdir -p "$url/consumer/Sources"
git clone --quiet --bare "$root" "$url/ChunkStore.git"
revision="$(git -C "$root" rev-parse HEAD)"
cp -R "$consumer/Sources/Collector" "$consumer/Sources/Service" "$url/consumer/Sources/"
sed "s|.package(name: \"ChunkStore\", path: \"../..\"),|.package(url: \"file://$url/ChunkStore.git\", revision: \"$revision\"),|" \
    "$consumer/Package.swift" > "$url/consumer/Package.swift"
grep -q 'package(url:' "$url/consumer/Package.swift"
swift package --package-path "$url/consumer" --scratch-path "$scratch/url-scratch" describe >/dev/null
echo "test-consumer: URL dependency resolves with package: \"ChunkStore\""
