#!/usr/bin/env python3
"""10,000 alert rules evaluated after an ingest (bench/alerts.sh runs it).

Ingests the occupancy snapshots up to 2021-03-21 into a fresh store (the
embedded SQLite file, or a fresh PostgreSQL database with --database-url),
writes RULES rules of one account straight into the store (every state x
bed class x scope under at_least / at_most / rises_by / falls_by, and the
rest on hospitals of the data), then ingests the 2021-03-22 snapshot: the
run evaluates every rule after its publish, in the same process, and logs
"alerts evaluated" with the rules, those evaluated, those fired and the
milliseconds taken. Prints them and the run's wall time.
"""

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid

RULES = 10_000
SOURCES = """
[[source]]
name = "occupancy-snapshots"
title = "Ocupação de leitos"
kind = "http"
url = "https://example.invalid/leito_ocupacao.csv.gz"
format = "occupancy-snapshot"
file = "data_*.csv.gz"
history = true
"""
STATES = ("AC AL AM AP BA CE DF ES GO MA MG MS MT PA PB PE PI PR RJ RN RO RR RS SC "
          "SE SP TO").split()
TYPES = [(c, s) for c in ("icu", "clinical") for s in ("all", "covid")]
CONDITIONS = [("at_least", 0.8), ("at_least", 0.9), ("at_most", 0.5),
              ("rises_by", 5.0), ("falls_by", 5.0)]


def rules(hospitals):
    """RULES rows: states first, hospitals for the rest, cycling."""
    now = "2026-12-06T00:00:00.000000Z"
    targets = [("state", uf) for uf in STATES] + [("hospital", h) for h in hospitals]
    n = 0
    while True:
        for kind, code in targets:
            for bed_class, scope in TYPES:
                for condition, threshold in CONDITIONS:
                    if n == RULES:
                        return
                    n += 1
                    yield (f"bench{n:05d}", "bench", f"rule {n}", kind, code, "occupancy",
                           bed_class, scope, condition, threshold, None,
                           "https://hooks.example.com/bench", uuid.uuid4().hex, 0, now, now)


COLUMNS = ("id, account, name, target_kind, target_code, metric, bed_class, scope, condition, "
           "threshold, trend_class, webhook_url, webhook_secret, paused, created_at, updated_at")


def sql_literal(value):
    if value is None:
        return "NULL"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + value.replace("'", "''") + "'"


class Store:
    def __init__(self, work, database_url):
        self.url = None
        self.file = os.path.join(work, "var", "sentinela.db")
        if database_url:
            self.admin = database_url
            self.name = f"sentinela_bench_alerts_{os.getpid()}"
            self.psql(self.admin, f"CREATE DATABASE {self.name}")
            base = database_url.rsplit("/", 1)[0]
            self.url = f"{base}/{self.name}"

    @staticmethod
    def psql(url, sql):
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url], input=sql, text=True,
                       check=True, stdout=subprocess.DEVNULL)

    def query(self, sql):
        if self.url:
            out = subprocess.run(["psql", "-At", self.url, "-c", sql], text=True, check=True,
                                 capture_output=True).stdout
            return [line.split("|") for line in out.splitlines() if line]
        with sqlite3.connect(self.file) as db:
            return db.execute(sql).fetchall()

    def execute(self, sql):
        if self.url:
            self.psql(self.url, sql)
        else:
            with sqlite3.connect(self.file) as db:
                db.executescript(sql)

    def drop(self):
        if self.url:
            self.psql(self.admin, f"DROP DATABASE {self.name} WITH (FORCE)")


def ingest(binary, env, folder):
    started = time.monotonic()
    run = subprocess.run([binary, "ingest", "--from", folder], env=env, text=True,
                         capture_output=True)
    wall = time.monotonic() - started
    if run.returncode != 0:
        sys.exit(f"ingest failed:\n{run.stdout}\n{run.stderr}")
    events = [json.loads(line) for line in run.stderr.splitlines() if line.startswith("{")]
    return wall, events


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="sentinela-bench-alerts-")
    store = Store(work, args.database_url)
    try:
        sources = os.path.join(work, "sources.toml")
        with open(sources, "w") as f:
            f.write(SOURCES)
        folder = os.path.join(work, "input")
        os.makedirs(folder)
        snapshots = os.path.join(args.data, "occupancy")
        for name in sorted(os.listdir(snapshots)):
            if name.startswith("data_") and name[5:15] <= "2021-03-21":
                os.symlink(os.path.join(snapshots, name), os.path.join(folder, name))
        env = dict(os.environ, SENTINELA_DATA_DIR=os.path.join(work, "var"),
                   SENTINELA_SOURCES=sources, SENTINELA_LOG_FORMAT="json", RUST_LOG="info")
        env.pop("DATABASE_URL", None)
        if store.url:
            env["DATABASE_URL"] = store.url
        wall, _ = ingest(args.binary, env, folder)
        print(f"first ingest (snapshots up to 2021-03-21): {wall:.1f} s")
        hospitals = [row[0] for row in store.query(
            "SELECT cnes FROM gold_hospital ORDER BY cnes")]
        store.execute(
            "INSERT INTO account (name, password_hash, role, created_at) VALUES "
            "('bench', 'not used', 'viewer', '2026-12-06T00:00:00.000000Z');\n"
            + "".join(f"INSERT INTO alert_rule ({COLUMNS}) VALUES "
                      f"({', '.join(sql_literal(v) for v in row)});\n"
                      for row in rules(hospitals)))
        count = store.query("SELECT COUNT(*) FROM alert_rule")[0][0]
        print(f"rules written: {count} ({len(hospitals)} hospitals in the data)")
        name = "data_2021-03-22.csv.gz"
        os.symlink(os.path.join(snapshots, name), os.path.join(folder, name))
        wall, events = ingest(args.binary, env, folder)
        evaluated = [e for e in events if e.get("message") == "alerts evaluated"]
        if not evaluated:
            sys.exit("the run logged no \"alerts evaluated\": "
                     + "; ".join(str(e) for e in events if "alert" in str(e.get("message", ""))))
        fields = evaluated[-1]
        print(f"second ingest (adds 2021-03-22): {wall:.1f} s wall")
        print(f"alerts evaluated: rules {fields['rules']}, evaluated {fields['evaluated']}, "
              f"fired {fields['fired']}, in {fields['elapsed_ms']} ms")
    finally:
        store.drop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
