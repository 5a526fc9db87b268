#!/usr/bin/env bash
# Proves that real engines read `chunkstore export --format parquet`: installs pyarrow,
# DuckDB and PySpark from PyPI (quietly, only when missing), builds the CLI and runs
# Tests/Engines/test_engines.py, which compares each engine's per-device answers with
# `chunkstore query`. Spark needs Java 17+ (installed from Debian when missing).
# Prints `N passed, M failed` last; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || export PATH="/opt/swift/usr/bin:$PATH"
bash scripts/install-deps.sh
if ! command -v java >/dev/null; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi
if ! python3 -c "import pyarrow, duckdb, pyspark" 2>/dev/null; then
    python3 -m pip install -q --disable-pip-version-check pyarrow duckdb pyspark 2>&1 | grep -v "WARNING: Running pip as" || true
fi
swift build -q --product chunkstore
python3 Tests/Engines/test_engines.py "$(swift build --show-bin-path)/chunkstore" "$@"
