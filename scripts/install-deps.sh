#!/usr/bin/env bash
# Installs, from Debian's packages, whatever of the build's needs is missing:
# pkg-config, liblz4-dev (the store's compression), libsqlite3-dev (the benchmark's
# baseline), zlib1g-dev (gzip bodies sent to `serve`), openssl (the
# test certificate of `serve`'s HTTPS test), python3 (the demo's data
# generator) and tzdata (the zones --tz reads).
# Does nothing when all are there.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
missing=()
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v python3 >/dev/null || missing+=(python3)
command -v openssl >/dev/null || missing+=(openssl)
if ! command -v pkg-config >/dev/null || ! pkg-config --exists liblz4; then missing+=(liblz4-dev); fi
if ! command -v pkg-config >/dev/null || ! pkg-config --exists sqlite3; then missing+=(libsqlite3-dev); fi
if ! command -v pkg-config >/dev/null || ! pkg-config --exists zlib; then missing+=(zlib1g-dev); fi
[ -e /usr/share/zoneinfo/Europe/Paris ] || missing+=(tzdata)
if [ ${#missing[@]} -gt 0 ]; then
    echo "install-deps: installing ${missing[*]}" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
