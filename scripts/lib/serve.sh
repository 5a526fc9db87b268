# Shared by the scripts that drive `chunkstore serve` (source it; bash only).
#   start_serve NAME LOG BIN ARGS...   runs `BIN serve ARGS... --port 0` in the background,
#                                      waits (up to 60 s) for its "listening on" line in LOG,
#                                      and sets $pid and $port; exits naming NAME if it fails.
#   stop_serve                         SIGTERM and wait, if it still runs.
start_serve() {
    local name="$1" log="$2" bin="$3"
    shift 3
    "$bin" serve "$@" --port 0 2>"$log" &
    pid=$!
    port=""
    for _ in $(seq 1 600); do
        port="$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$log")"
        [ -n "$port" ] && return 0
        kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "$name: serve did not start" >&2; exit 1; }
        sleep 0.1
    done
    echo "$name: serve did not start in 60 s" >&2
    exit 1
}

stop_serve() {
    if [ -n "${pid:-}" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
    pid=""
}
