#!/usr/bin/env python3
"""Reads a `chunkstore export --format parquet` directory with pyarrow, DuckDB and Spark
(local mode) and compares per-device counts, sums, min/max and time bounds with what
`chunkstore query` prints for the same store. Also checks the incremental rerun (late rows
rewrite only their day) and the line-protocol round trip.

Usage: test_engines.py PATH/TO/chunkstore [--no-spark]
Prints one line per check and a closing line `N passed, M failed`; exits 1 on failure.
"""
import json, math, os, random, shutil, subprocess, sys, tempfile

CLI = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else ".build/debug/chunkstore"
USE_SPARK = "--no-spark" not in sys.argv
passed = failed = 0
DAY = 86_400 * 10**9
T0 = 1_767_225_600 * 10**9  # 2026-01-01T00:00:00Z


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


def run(*args, stdin=None):
    r = subprocess.run([CLI, *args], input=stdin, capture_output=True)
    if r.returncode != 0:
        raise RuntimeError(f"chunkstore {' '.join(args)} exited {r.returncode}: {r.stderr.decode()}")
    return r.stdout


def make_lines(rng, devices, days, step_s, start=T0):
    lines = []
    for d in devices:
        for i in range(days * 86_400 // step_s):
            t = start + i * step_s * 10**9 + rng.randrange(1000)  # sub-microsecond digits on purpose
            fields = [f"power_w={rng.uniform(-50, 500):.3f}", f"pulses={rng.randrange(-10**12, 10**12)}i",
                      f"volts={rng.choice([229.5, 230.0, 230.5, 231.25])}"]  # few distinct values: a dictionary
            if i % 7 == 0:
                fields.append(f"relay={'true' if i % 2 else 'false'}")
            if i % 11 == 0:
                fields.pop(0)  # power_w missing on some rows
            tag = d.replace(",", "\\,").replace("=", "\\=").replace(" ", "\\ ")
            lines.append(f"meter,device={tag} {','.join(fields)} {t}")
    return "\n".join(lines) + "\n"


def meter_lines(rng, devices, hours, start=T0 + 3 * 3600 * 10**9):
    """Bench-like readings: every 5 s with whole-millisecond jitter and gaps, powers in
    tenths (thousands of distinct values: wide dictionaries), a counter in pulses."""
    lines = []
    for d in devices:
        power, pulses = rng.uniform(100, 3000), rng.randrange(10**6)
        for i in range(hours * 720):
            if rng.random() < 0.004:
                continue  # a lost reading: one long delta
            t = start + i * 5 * 10**9 + rng.randrange(-100, 101) * 10**6
            power = max(0.0, power + rng.gauss(0, 40))
            pulses += rng.randrange(4)
            lines.append(f"meter,device={d} power_w={round(power, 1)},pulses={pulses}i,"
                         f"volts={rng.choice([229.5, 230.0, 230.5, 231.25])} {t}")
    return "\n".join(lines) + "\n"


def truth(db, *extra):
    """Per-device aggregates from `chunkstore query` (exact values, ns times)."""
    out = {}
    for line in run("query", "--db", db, "--all-devices", "--output", "jsonl", "--epoch", "ns", *extra).splitlines():
        row = json.loads(line)
        a = out.setdefault(row["device"], {"count": 0, "tmin": None, "tmax": None, "tsum": 0, "fields": {}})
        a["count"] += 1
        t = row["time"]
        a["tsum"] += t - T0
        a["tmin"] = t if a["tmin"] is None else min(a["tmin"], t)
        a["tmax"] = t if a["tmax"] is None else max(a["tmax"], t)
        for k, v in row.items():
            if k in ("device", "time") or v is None:
                continue
            f = a["fields"].setdefault(k, {"n": 0, "sum": 0, "min": None, "max": None})
            x = int(v) if isinstance(v, bool) else v
            f["n"] += 1
            f["sum"] += x
            f["min"] = x if f["min"] is None else min(f["min"], x)
            f["max"] = x if f["max"] is None else max(f["max"], x)
    return out


FIELDS = ["power_w", "pulses", "relay", "volts"]


def agg_sql(cast_bool, micros):
    """`micros`: the engine's expression for `time` as integer microseconds. `time_ns` must
    be the exact stored nanoseconds (its sum relative to T0 checks every row, not only the
    bounds) and `time` those floored to microseconds on every row."""
    parts = ["device", "count(*) AS n", "min(time_ns) AS tmin", "max(time_ns) AS tmax",
             f"sum(time_ns - {T0}) AS tsum", "min(time) AS ts_min", "max(time) AS ts_max",
             f"sum(CASE WHEN {micros} * 1000 <= time_ns AND time_ns < {micros} * 1000 + 1000 THEN 0 ELSE 1 END) AS floor_misses"]
    for f in FIELDS:
        col = f"CAST({f} AS INT)" if (f == "relay" and cast_bool) else f
        parts += [f"count({f}) AS {f}_n", f"sum({col}) AS {f}_sum", f"min({col}) AS {f}_min", f"max({col}) AS {f}_max"]
    return ", ".join(parts)


def compare(engine, rows, expected):
    """rows: device -> dict of aggregates as named in agg_sql."""
    check(f"{engine}: same devices", sorted(rows) == sorted(expected), f"{sorted(rows)} vs {sorted(expected)}")
    for dev, e in expected.items():
        r = rows.get(dev)
        if r is None:
            continue
        problems = []
        if r["n"] != e["count"]: problems.append(f"count {r['n']} != {e['count']}")
        if r["tmin"] != e["tmin"] or r["tmax"] != e["tmax"]: problems.append(f"time_ns bounds {r['tmin']} {e['tmin']}")
        if r["tsum"] != e["tsum"]: problems.append(f"time_ns sum {r['tsum']} != {e['tsum']}")
        if r["floor_misses"] != 0: problems.append(f"{r['floor_misses']} rows where time != floor(time_ns / 1000)")
        if r["ts_min"] != e["tmin"] // 1000 or r["ts_max"] != e["tmax"] // 1000: problems.append(f"time (us) bounds {r['ts_min']} {e['tmin']//1000}")
        for f in FIELDS:
            ef = e["fields"].get(f, {"n": 0, "sum": None, "min": None, "max": None})
            if r[f + "_n"] != ef["n"]: problems.append(f"{f} count {r[f+'_n']} != {ef['n']}")
            if ef["n"] == 0:
                continue
            s = r[f + "_sum"]
            if isinstance(ef["sum"], float):
                if not math.isclose(s, ef["sum"], rel_tol=1e-9, abs_tol=1e-6): problems.append(f"{f} sum {s} != {ef['sum']}")
            elif int(s) != ef["sum"]: problems.append(f"{f} sum {s} != {ef['sum']}")
            for k in ("min", "max"):
                got = r[f"{f}_{k}"]
                got = int(got) if isinstance(got, bool) else got
                if got != ef[k]: problems.append(f"{f} {k} {got} != {ef[k]}")
        check(f"{engine}: {dev} count/sum/min/max/time bounds", not problems, "; ".join(problems))


def us(v):
    """A timestamp from an engine as integer microseconds since the epoch."""
    import datetime
    if isinstance(v, datetime.datetime):
        if v.tzinfo is None:
            v = v.replace(tzinfo=datetime.timezone.utc)
        delta = v - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
        return (delta.days * 86_400 + delta.seconds) * 10**6 + delta.microseconds
    return int(v)


def with_duckdb(out, expected, label="duckdb"):
    import duckdb
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    sql = f"SELECT {agg_sql(True, 'epoch_us(time)')} FROM read_parquet('{out}/*/*.parquet', hive_partitioning = true) GROUP BY device"
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    rows = {}
    for t in cur.fetchall():
        r = dict(zip(names, t))
        r["ts_min"], r["ts_max"] = us(r["ts_min"]), us(r["ts_max"])
        rows[r["device"]] = r
    compare(label, rows, expected)
    return con


def with_pyarrow(out, expected):
    import pyarrow.dataset as ds
    import pyarrow as pa
    table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
    check("pyarrow: time is timestamp[us, UTC]", str(table.schema.field("time").type) == "timestamp[us, tz=UTC]",
          str(table.schema.field("time").type))
    check("pyarrow: device is a string", pa.types.is_string(table.schema.field("device").type) or
          pa.types.is_dictionary(table.schema.field("device").type), str(table.schema.field("device").type))
    import pyarrow.compute as pc
    check("pyarrow: time_ns is int64", table.schema.field("time_ns").type == pa.int64(), str(table.schema.field("time_ns").type))
    check("pyarrow: columns device, time, time_ns, then fields",
          table.schema.names[:3] == ["device", "time", "time_ns"], str(table.schema.names))
    ns = table.column("time_ns")
    # Python's // floors, also right for times before 1970.
    micros = table.column("time").cast(pa.int64()).to_pylist()
    misses = [0 if m == n // 1000 else 1 for m, n in zip(micros, ns.to_pylist())]
    table = table.append_column("tsum", pc.subtract(ns, T0))
    table = table.append_column("floor_misses", pa.array(misses, pa.int64()))
    aggs = [("time_ns", "count"), ("time_ns", "min"), ("time_ns", "max"), ("tsum", "sum"), ("floor_misses", "sum"),
            ("time", "min"), ("time", "max")]
    for f in FIELDS:
        aggs += [(f, "count"), (f, "sum"), (f, "min"), (f, "max")]
    table = table.set_column(table.schema.get_field_index("relay"), "relay", table.column("relay").cast(pa.int64()))
    g = table.group_by("device").aggregate(aggs).to_pylist()
    rows = {}
    for r in g:
        row = {"n": r["time_ns_count"], "tmin": r["time_ns_min"], "tmax": r["time_ns_max"], "tsum": r["tsum_sum"],
               "floor_misses": r["floor_misses_sum"], "ts_min": us(r["time_min"]), "ts_max": us(r["time_max"])}
        for f in FIELDS:
            for k in ("count", "sum", "min", "max"):
                row[f"{f}_{'n' if k == 'count' else k}"] = r[f"{f}_{k}"]
        rows[r["device"]] = row
    compare("pyarrow", rows, expected)
    # Every column chunk carries min/max statistics so engines can prune.
    import pyarrow.parquet as pq
    import glob
    f = pq.ParquetFile(sorted(glob.glob(f"{out}/*/*.parquet"))[0])
    md = f.metadata
    stats = [md.row_group(g).column(c).statistics for g in range(md.num_row_groups) for c in range(md.num_columns)]
    nulls = [md.row_group(g).num_rows for g in range(md.num_row_groups) for c in range(md.num_columns)]
    # A chunk of nulls only (a field none of its devices has) has a null count and no bounds.
    stats_ok = all(s is not None and (s.has_min_max or s.null_count == n) for s, n in zip(stats, nulls))
    check("pyarrow: min/max statistics on every column chunk with a value", stats_ok)
    # time and time_ns are DELTA_BINARY_PACKED in every row group (what the engines above decoded).
    delta = all("DELTA_BINARY_PACKED" in md.row_group(g).column(c).encodings
                for g in range(md.num_row_groups) for c in (1, 2))
    check("pyarrow: time and time_ns are DELTA_BINARY_PACKED", delta,
          str([md.row_group(0).column(c).encodings for c in (1, 2)]))


def with_spark(out, expected):
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master("local[1]").appName("chunkstore-export-test")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").config("spark.sql.session.timeZone", "UTC")
             .config("spark.sql.shuffle.partitions", "2").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    try:
        spark.read.parquet(out).createOrReplaceTempView("readings")
        sql = agg_sql(True, "unix_micros(time)")
        rows = {}
        for r in spark.sql(f"SELECT {sql} FROM readings GROUP BY device").collect():
            d = r.asDict()
            d["ts_min"], d["ts_max"] = us(d["ts_min"]), us(d["ts_max"])
            rows[d["device"]] = d
        compare("spark", rows, expected)
        days = sorted(str(r[0]) for r in spark.sql("SELECT DISTINCT day FROM readings").collect())
        check("spark: Hive partitions read as the day column", len(days) >= 2, str(days))
    finally:
        spark.stop()


README = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "README.md")


def readme_block(engine, language):
    """The first ```language block after the README's **engine** heading line."""
    text = open(README).read()
    start = text.index(f"**{engine}**")
    start = text.index(f"```{language}\n", start) + len(f"```{language}\n")
    return text[start:text.index("```", start)]


def check_readme_examples(out, db):
    """Runs the README's DuckDB and Spark examples on the export; compares with chunkstore query."""
    expected = truth(db, "--from", "2026-01-02T00:00:00Z")
    want = [(d, e["count"], e["fields"]["power_w"]["max"], e["tmin"] // 1000, e["tmax"] // 1000)
            for d, e in sorted(expected.items(), key=lambda kv: kv[0].encode())]
    import duckdb
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    got = [(r[0], r[1], r[2], us(r[3]), us(r[4])) for r in con.execute(readme_block("DuckDB", "sql").replace("/srv/fleet", out)).fetchall()]
    check("README DuckDB example answers like chunkstore query", got == want, f"{got} vs {want}")
    if not USE_SPARK:
        return
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false").config("spark.sql.session.timeZone", "UTC").getOrCreate())
    try:
        code = readme_block("Spark", "python").replace("/srv/fleet", out).replace(".show()", ".collect()")
        lines = code.strip().split("\n")
        exec(lines[0], {"spark": spark})
        rows = eval("\n".join(lines[1:]).strip(), {"spark": spark})
        got = [(r[0], r[1], r[2], us(r[3]), us(r[4])) for r in rows]
        check("README Spark example answers like chunkstore query", got == want, f"{got} vs {want}")
    finally:
        spark.stop()


def main():
    rng = random.Random(7)
    work = tempfile.mkdtemp(prefix="chunkstore-engines-")
    try:
        db, out = f"{work}/db", f"{work}/export"
        devices = ["meter-001", "meter-002", "meter 3,x=y"]
        run("ingest", "--db", db, "--precision", "ns", stdin=make_lines(rng, devices, 3, 60).encode())
        run("ingest", "--db", db, "--precision", "ns", stdin=meter_lines(rng, ["fast-1", "fast-2"], 14).encode())
        run("export", "--db", db, "--format", "parquet", "--out", out, "--row-group-rows", "2000")
        expected = truth(db)
        with_pyarrow(out, expected)
        with_duckdb(out, expected)
        if USE_SPARK:
            with_spark(out, expected)
        check_readme_examples(out, db)
        # Default row groups: whole days, wide dictionaries, long delta runs.
        big = f"{work}/export-big"
        run("export", "--db", db, "--format", "parquet", "--out", big)
        with_pyarrow(big, expected)
        with_duckdb(big, expected, label="duckdb (default row groups)")
        if USE_SPARK:
            with_spark(big, expected)

        # Incremental: late rows for the first day rewrite only that day's file.
        files = {d: os.stat(f"{out}/{d}/part-00000.parquet").st_mtime_ns for d in os.listdir(out) if d.startswith("day=")}
        late = f"meter,device=meter-001 power_w=1.25,pulses=5i {T0 + 3600 * 10**9 + 1}\n"
        run("ingest", "--db", db, "--precision", "ns", stdin=late.encode())
        run("export", "--db", db, "--format", "parquet", "--out", out, "--row-group-rows", "2000")
        after = {d: os.stat(f"{out}/{d}/part-00000.parquet").st_mtime_ns for d in os.listdir(out) if d.startswith("day=")}
        changed = sorted(d for d in after if after[d] != files.get(d))
        check("incremental: only the late row's day is rewritten", changed == ["day=2026-01-01"], str(changed))
        with_duckdb(out, truth(db), label="duckdb after late rows")

        # Line protocol round trip: the copy answers every query identically.
        lp = run("export", "--db", db, "--format", "lp")
        run("ingest", "--db", f"{work}/copy", "--precision", "ns", stdin=lp)
        a = run("query", "--db", db, "--all-devices", "--output", "jsonl", "--epoch", "ns")
        b = run("query", "--db", f"{work}/copy", "--all-devices", "--output", "jsonl", "--epoch", "ns")
        check("lp round trip: identical query output", a == b)
        d1 = run("devices", "--db", db, "--output", "csv")
        d2 = run("devices", "--db", f"{work}/copy", "--output", "csv")
        check("lp round trip: identical fields and types", d1 == d2)
    except Exception as e:  # a crash is a failure, not a pass
        check("engine test ran to the end", False, repr(e))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
