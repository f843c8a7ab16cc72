#!/usr/bin/env python3
"""Scaled ingest input: the real public files replicated to millions of rows.

Writes a folder that `sentinela ingest --from DIR` (with bench/sources.toml)
and bench/ingest.py both read:

- occupancy/data_YYYY-MM-DD.csv.gz: the real daily snapshots, each hospital
  replicated R times, replica k > 0 under a 7-digit CNES code that no real
  hospital has (the same one on every day; `_id` follows it), its state,
  city and reports kept. Each file has its source's header and column order.
  When R replicas of the 28 real days fall short of the target, the days
  repeat shifted by whole multiples of the real span (28 days):
  `dataNotificacaoOcupacao`, `ts_run` and the file's date move together, so
  each snapshot still holds every hospital's latest report and consecutive
  snapshots repeat most (cnes, dataNotificacaoOcupacao) pairs, as the real
  ones do. R is capped so a file holds at most about 250,000 rows.
- sivep/sum_dados_YYYY_MM_DD.csv.xz: the real summary replicated, replica k
  with `dt_evento` shifted by k times the real span (178 days), so its
  groups stay distinct; compressed with `xz -T2 -1`. The name carries the
  newest shifted date.
- copies of the small files the other sources need (the states and
  cities-time cases, the 2020 population, the states' GeoJSON), one match
  per bench/sources.toml pattern.

Everything is streamed (only the real files are held in memory) and the
output is deterministic: scale.json, written last, records the generator's
hash, the request and every output file's size, and a run whose request
matches an intact folder returns at once. Prints rows, bytes and seconds
per kind.

Usage: bench/scale.py [--data ../shared/data] --out DIR
                      [--occupancy-rows 10000000] [--sivep-rows 10000000]
"""

import argparse
import csv
import datetime
import gzip
import hashlib
import io
import itertools
import json
import math
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
STAMP = "scale.json"
# A snapshot file holds at most this many rows (R × the biggest real day).
FILE_ROWS = 250_000
# The small files the other sources read, copied unchanged.
COPIES = [
    "cases/cases-brazil-states_2022-04-24.csv",
    "cases/cases-brazil-cities-time_2020-05-06.csv",
    "reference/populacao-por-municipio-2020.csv",
    "reference/municipios.csv",
    "geo/states.geojson",
    *(f"geo/municipalities/geojs-{state}-mun.json" for state in (
        11, 12, 13, 14, 15, 16, 17, 21, 22, 23, 24, 25, 26, 27, 28, 29,
        31, 32, 33, 35, 41, 42, 43, 50, 51, 52, 53)),
]
SIVEP = "sivep/sum_dados_2020_06_23.csv.xz"
# Stands for the replica's code while a row is turned into a template.
HOLE = "\0"


class Compressed:
    """A file written through a compressor command (`gzip`, `xz`) fed by a pipe."""

    def __init__(self, path, command):
        self.path, self.raw_bytes = path, 0
        self.target = open(path, "wb")
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=self.target)

    def write(self, text):
        data = text.encode()
        self.raw_bytes += len(data)
        self.process.stdin.write(data)

    def close(self):
        self.process.stdin.close()
        code = self.process.wait()
        self.target.close()
        if code != 0:
            sys.exit(f"scale.py: {self.process.args[0]} exited {code} writing {self.path}")


def hospital_code(text):
    """The ingest's identity of a CNES: trimmed, all-digit codes zero-padded to 7."""
    code = text.strip()
    return code.zfill(7) if code.isdigit() and len(code) < 7 else code


def shifted(text, days):
    """An ISO date or instant moved by whole days, the rest of the text as written."""
    day = datetime.date.fromisoformat(text[:10]) + datetime.timedelta(days=days)
    return day.isoformat() + text[10:]


def csv_line(fields):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(fields)
    return out.getvalue()


def read_snapshot(path):
    """A real snapshot as (header, rows), checking that it rewrites byte for byte."""
    text = gzip.decompress(path.read_bytes()).decode()
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if "".join(map(csv_line, rows)) != text or HOLE in text:
        sys.exit(f"scale.py: {path} does not rewrite unchanged through Python's csv module")
    return rows[0], rows[1:]


class Snapshot:
    """One real day, ready to be written as any replica on any shifted day."""

    def __init__(self, path):
        self.day = datetime.date.fromisoformat(path.name[len("data_"):-len(".csv.gz")])
        header, self.rows = read_snapshot(path)
        self.header = csv_line(header)
        self.columns = {name: header.index(name) for name in
                        ("_id", "cnes", "dataNotificacaoOcupacao", "ts_run")}
        self.codes = [hospital_code(row[self.columns["cnes"]]) for row in self.rows]

    def templates(self, days):
        """Per row: the line shifted by `days`, as it is (replica 0) and split
        around its `_id` and `cnes` values (the other replicas)."""
        c = self.columns
        out = []
        for row in self.rows:
            row = list(row)
            for name in ("dataNotificacaoOcupacao", "ts_run"):
                row[c[name]] = shifted(row[c[name]], days)
            as_is = csv_line(row)
            row[c["_id"]] = row[c["cnes"]] = HOLE
            out.append((as_is, csv_line(row).split(HOLE)))
        return out


def stand_ins(codes, replicas):
    """Per replica k > 0, each real hospital code's stand-in: 7-digit codes
    that no real hospital has, handed out in order from 1000000."""
    taken = set(codes)
    free = (f"{n:07d}" for n in itertools.count(1_000_000) if f"{n:07d}" not in taken)
    ordered = sorted(taken)
    made = [None] + [dict(zip(ordered, free)) for _ in range(1, replicas)]
    if replicas > 1 and len(max(made[-1].values())) > 7:
        sys.exit(f"scale.py: {replicas} replicas need more than the 7-digit codes")
    return made


def occupancy(data, dest, target_rows):
    """Writes the replicated snapshots; returns (files, rows, raw bytes, file bytes, how)."""
    days = [Snapshot(p) for p in sorted((data / "occupancy").glob("data_*.csv.gz"))]
    if not days:
        sys.exit(f"scale.py: no occupancy snapshot data_*.csv.gz in {data / 'occupancy'}")
    span = (days[-1].day - days[0].day).days + 1
    total = sum(len(d.rows) for d in days)
    replicas = max(1, min(math.ceil(target_rows / total),
                          FILE_ROWS // max(len(d.rows) for d in days)))
    codes = stand_ins({code for d in days for code in d.codes}, replicas)
    (dest / "occupancy").mkdir()
    files = rows = raw = size = 0
    while rows < target_rows:
        source = days[files % len(days)]
        shift = files // len(days) * span
        name = f"data_{source.day + datetime.timedelta(days=shift)}.csv.gz"
        target = Compressed(dest / "occupancy" / name, ["gzip", "-6", "-n", "-c"])
        target.write(source.header)
        templates = source.templates(shift)
        target.write("".join(as_is for as_is, _ in templates))
        for k in range(1, replicas):
            replica = [codes[k][code] for code in source.codes]
            target.write("".join(code.join(parts) for (_, parts), code in zip(templates, replica)))
        target.close()
        files += 1
        rows += replicas * len(source.rows)
        raw += target.raw_bytes
        size += target.path.stat().st_size
    how = f"{replicas} replicas of the hospitals, {math.ceil(files / len(days))} cycles of {span} days"
    return files, rows, raw, size, how


def sivep(data, dest, target_rows):
    """Writes the replicated SIVEP summary; returns (files, rows, raw bytes, file bytes, how)."""
    source = data / SIVEP
    text = subprocess.run(["xz", "-dc", source], check=True, capture_output=True).stdout.decode()
    header, _, body = text.partition("\n")
    rows = [(datetime.date.fromisoformat(line[:10]).toordinal(), line[10:])
            for line in body.splitlines(keepends=True)]
    if not rows or not body.endswith("\n"):
        sys.exit(f"scale.py: {source} has no rows, or no newline after its last one")
    first, last = min(o for o, _ in rows), max(o for o, _ in rows)
    span = last - first + 1
    replicas = math.ceil(target_rows / len(rows))
    newest = datetime.date.fromordinal(last + (replicas - 1) * span)
    (dest / "sivep").mkdir()
    path = dest / "sivep" / f"sum_dados_{newest:%Y_%m_%d}.csv.xz"
    target = Compressed(path, ["xz", "-T2", "-1", "-c"])
    target.write(header + "\n")
    for k in range(replicas):
        dates = {o: datetime.date.fromordinal(o + k * span).isoformat() for o in range(first, last + 1)}
        target.write("".join(dates[o] + rest for o, rest in rows))
    target.close()
    how = f"{replicas} replicas of {len(rows):,} rows, each {span} days after the one before"
    return 1, replicas * len(rows), target.raw_bytes, path.stat().st_size, how


def copies(data, dest, _target_rows):
    """Copies the small files (not links: the ingest's walker skips links)."""
    size = 0
    for name in COPIES:
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(data / name, dest / name)
        size += (dest / name).stat().st_size
    return len(COPIES), 0, size, size, "unchanged"


def request(data, args):
    """What the folder is made from: a stamp with the same request is the same folder."""
    inputs = sorted([*COPIES, SIVEP, *(str(p.relative_to(data)) for p in (data / "occupancy").glob("data_*.csv.gz"))])
    for name in inputs:
        if not (data / name).is_file():
            sys.exit(f"scale.py: no {name} in {data}")
    return {
        "generator": hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
        "occupancy_rows": args.occupancy_rows,
        "sivep_rows": args.sivep_rows,
        "inputs": {name: (data / name).stat().st_size for name in inputs},
    }


def up_to_date(out, wanted):
    try:
        stamp = json.loads((out / STAMP).read_text())
    except (OSError, ValueError):
        return False
    return stamp["request"] == wanted and all(
        (out / name).is_file() and (out / name).stat().st_size == size
        for name, size in stamp["outputs"].items())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--occupancy-rows", type=int, default=10_000_000)
    parser.add_argument("--sivep-rows", type=int, default=10_000_000)
    args = parser.parse_args()
    if min(args.occupancy_rows, args.sivep_rows) < 1:
        parser.error("the row targets must be at least 1")
    data, out = args.data.resolve(), args.out.resolve()
    wanted = request(data, args)
    if up_to_date(out, wanted):
        print(f"{out} already holds this scale ({STAMP} matches); not regenerated")
        return
    if out.exists() and any(out.iterdir()) and not (out / STAMP).exists():
        sys.exit(f"scale.py: {out} is not empty and was not written by scale.py; not overwriting it")

    # Written beside the target, moved in place once complete.
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    print(f"{'kind':<10} {'files':>5} {'rows':>12} {'raw MB':>9} {'file MB':>9} {'seconds':>8}")
    for kind, make, target in (("occupancy", occupancy, args.occupancy_rows),
                               ("sivep", sivep, args.sivep_rows),
                               ("copies", copies, 0)):
        started = time.perf_counter()
        files, rows, raw, size, how = make(data, partial, target)
        print(f"{kind:<10} {files:>5} {rows:>12,} {raw / 1e6:>9.1f} {size / 1e6:>9.1f} "
              f"{time.perf_counter() - started:>8.1f}   {how}", flush=True)
    outputs = {}
    for path in sorted(partial.rglob("*")):
        if path.is_file():
            outputs[str(path.relative_to(partial))] = path.stat().st_size
    (partial / STAMP).write_text(json.dumps({"request": wanted, "outputs": outputs}, indent=1) + "\n")
    shutil.rmtree(out, ignore_errors=True)
    partial.rename(out)
    print(f"wrote {out}: {sum(outputs.values()) / 1e6:.1f} MB in {len(outputs)} files")


if __name__ == "__main__":
    main()
