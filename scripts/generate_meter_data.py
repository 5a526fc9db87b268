#!/usr/bin/env python3
"""Writes one day of smart-meter readings as InfluxDB line protocol on stdout.

Every meter reports every 5 seconds (17,280 readings a day):
  power_w     active power: a household load curve (night base load, morning and
              evening peaks), a per-meter scale, appliance spikes and noise; 0.1 W
  voltage_v   mains voltage near 230 V with slow drift and jitter; 0.1 V
  current_a   power / voltage; 0.01 A
  energy_kwh  the cumulative register, only ever increasing; 0.001 kWh
Timestamps are integer seconds (ingest with --precision s). Output is deterministic
for a given --seed.

    python3 scripts/generate_meter_data.py --meters 5 --date 2026-01-01 > day.lp
"""
import argparse
import datetime as dt
import math
import random
import sys


def load_curve(hour: float) -> float:
    """Relative household demand over a day, roughly 0.25 at night to 1.0 at the evening peak."""
    morning = 0.55 * math.exp(-((hour - 7.5) ** 2) / 1.5)
    midday = 0.25 * math.exp(-((hour - 13.0) ** 2) / 4.0)
    evening = 0.75 * math.exp(-((hour - 19.5) ** 2) / 3.0)
    return 0.25 + morning + midday + evening


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    yesterday = dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)
    parser.add_argument("--meters", type=int, default=5, help="number of meters (default 5)")
    parser.add_argument("--date", default=yesterday.isoformat(), help="UTC day, YYYY-MM-DD (default: yesterday)")
    parser.add_argument("--interval", type=int, default=5, help="seconds between readings (default 5)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    args = parser.parse_args()

    day = dt.datetime.strptime(args.date, "%Y-%m-%d").replace(tzinfo=dt.timezone.utc)
    start = int(day.timestamp())
    rng = random.Random(args.seed)
    meters = []
    for m in range(args.meters):
        meters.append({
            "id": f"meter-{m + 1:03d}",
            "scale": rng.uniform(1200.0, 3200.0),     # peak demand in W
            "energy": rng.uniform(1000.0, 20000.0),   # register at the start of the day, kWh
            "spike": 0.0,                             # an appliance running, W
            "spike_left": 0,
            "volt_offset": rng.uniform(-3.0, 3.0),
        })

    out = sys.stdout
    steps = 86_400 // args.interval
    for step in range(steps):
        ts = start + step * args.interval
        hour = step * args.interval / 3600.0
        lines = []
        for meter in meters:
            if meter["spike_left"] > 0:
                meter["spike_left"] -= 1
            elif rng.random() < 0.002:  # kettle, oven, washing machine...
                meter["spike"] = rng.choice([2000.0, 2200.0, 1200.0, 800.0])
                meter["spike_left"] = rng.randint(12, 360)
            else:
                meter["spike"] = 0.0
            power = meter["scale"] * load_curve(hour) * rng.uniform(0.93, 1.07) + meter["spike"]
            power = round(max(power, 40.0), 1)
            voltage = 230.0 + meter["volt_offset"] + 2.5 * math.sin(2 * math.pi * hour / 24.0) + rng.gauss(0, 0.4)
            voltage = round(voltage, 1)
            current = round(power / voltage, 2)
            meter["energy"] += power * args.interval / 3_600_000.0
            lines.append(
                f"meter,device={meter['id']} power_w={power},voltage_v={voltage},"
                f"current_a={current},energy_kwh={meter['energy']:.3f} {ts}\n"
            )
        out.write("".join(lines))


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        sys.exit(1)
