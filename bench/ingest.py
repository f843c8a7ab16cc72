#!/usr/bin/env python3
"""Ingest benchmark: Sentinela against DuckDB doing the same work.

Runs `sentinela ingest --from DATA --json` (release build, bench/sources.toml)
on the public files (or the scaled ones bench/scale.py writes), then has
DuckDB do the same work on the same raw files: parse them into bronze
Parquet, conform silver Parquet, compute the gold tables and write them as
Parquet. Prints each stage's seconds for both, the ratio Sentinela/DuckDB per
stage and in all, rows/s, MB/s, each one's peak RSS and the rate at which
Sentinela loaded gold into its store.

Each side runs in a child process of its own (DuckDB through this script
re-invoked with --duck-worker), whose peak RSS wait4 reports. DuckDB gets a
memory limit (1GB unless told) and a spill folder, as Sentinela must live
within one. With --database-url, Sentinela loads gold into a fresh database
created on that PostgreSQL server (and dropped after) instead of its
embedded store; the URL's role needs CREATEDB.

Usage: bench/ingest.py --binary PATH --data DIR [--threads 2] [--duck-memory 1GB]
                       [--database-url postgres://USER:PASSWORD@HOST:PORT/DB]
       bench/ingest.py --duck-only --data DIR [--threads 2] [--duck-memory 1GB]
"""

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import contextmanager, nullcontext
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent

# The day of a notification in Brasília time (UTC-3, no daylight saving).
BRT = "INTERVAL 3 HOUR"


def number(column):
    """A count written as an integer or a float-looking integer; blank is 0."""
    return f"COALESCE(TRY_CAST(TRY_CAST(NULLIF(TRIM({column}), '') AS DOUBLE) AS BIGINT), 0)"


def measured(command, env, workdir):
    """Runs a command in its own process: (stdout, wall seconds, peak RSS MiB).
    Exits with the command's stderr when it fails."""
    with open(workdir / "stdout", "w+") as out, open(workdir / "stderr", "w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, env=env, cwd=workdir, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if code != 0:
            sys.exit(f"{' '.join(map(str, command[:2]))} ... exited {code}:\n{err.read()[-4000:]}")
        return out.read(), wall, usage.ru_maxrss / 1024


def sentinela(binary, data, workdir, database_url):
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(
        SENTINELA_DATA_DIR=str(workdir / "var"),
        SENTINELA_SOURCES=str(HERE / "sources.toml"),
        RUST_LOG="warn",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    stdout, wall, rss_mib = measured([binary, "ingest", "--from", str(data), "--json"], env, workdir)
    report = json.loads(stdout)
    # The map geometry has no DuckDB counterpart (no spatial extension
    # offline): its stages are left out of the comparison, and shown apart.
    stages = {"bronze": 0.0, "silver": 0.0, "gold": 0.0}
    rows, geometry = 0, 0.0
    for source in report["sources"]:
        for stage in source["stages"]:
            if source["name"].startswith("geo-"):
                geometry += stage["seconds"]
                continue
            # "silver city_ibge" (SIVEP's 7-digit codes) is silver work.
            stages[stage["stage"].split()[0]] += stage["seconds"]
            if stage["stage"] == "bronze":
                rows += stage["rows_in"]
    # Nor do the hospitals (their city matched by name, their occupancy per
    # day and bed type, their summary): shown apart too. The city match's
    # stages (one per reason a city is kept apart) span the same time as
    # the rows per day, which already count it: they are not added again.
    hospitals = 0.0
    for stage in report["gold"]:
        if stage["stage"] == "gold geometry":
            geometry += stage["seconds"]
        elif stage["stage"] in ("gold occupancy_hospital", "gold hospital"):
            hospitals += stage["seconds"]
        elif stage["stage"].startswith("silver hospital "):
            continue
        else:
            stages["gold"] += stage["seconds"]
    print(f"sentinela: map geometry (states and municipalities, not compared) {geometry:.3f} s")
    print(f"sentinela: hospitals (city match, rows per hospital and day, summaries; not compared) "
          f"{hospitals:.3f} s")
    return wall, rss_mib, stages, rows, report["status"], report.get("store")


def duckdb_child(data, workdir, threads, memory):
    """The DuckDB side in a child process: (seconds per stage, seconds of its
    whole work, peak RSS MiB, rows written per table)."""
    command = [sys.executable, __file__, "--duck-worker", "--data", str(data),
               "--threads", str(threads), "--duck-memory", memory]
    stdout, _, rss_mib = measured(command, dict(os.environ), workdir)
    done = json.loads(stdout)
    return done["seconds"], done["wall"], rss_mib, done["rows"]


@contextmanager
def fresh_database(server_url):
    """A new database on the server of `server_url`, dropped on the way out: its URL."""
    name = f"sentinela_bench_{os.getpid()}"

    def psql(sql):
        try:
            done = subprocess.run(["psql", server_url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
                                  capture_output=True, text=True)
        except FileNotFoundError:
            sys.exit("--database-url needs psql (Debian's postgresql-client)")
        if done.returncode != 0:
            sys.exit(f"psql: {sql}: {done.stderr.strip()}")

    psql(f"CREATE DATABASE {name}")
    try:
        yield urllib.parse.urlsplit(server_url)._replace(path=f"/{name}").geturl()
    finally:
        psql(f"DROP DATABASE {name} WITH (FORCE)")


class DuckRun:
    """The same work in DuckDB, stage by stage, into Parquet files."""

    def __init__(self, data, out, threads, memory):
        self.data, self.out = data, out
        self.db = duckdb.connect()
        self.db.execute(f"SET threads = {threads}")
        self.db.execute(f"SET memory_limit = '{memory}'")
        self.db.execute(f"SET temp_directory = '{out / 'spill'}'")
        self.db.execute("SET enable_progress_bar = false")
        self.seconds = {"bronze": 0.0, "silver": 0.0, "gold": 0.0}
        # Rows written per table (COPY answers its count).
        self.rows = {}

    def timed(self, stage, sql):
        started = time.perf_counter()
        result = self.db.execute(sql).fetchall()
        self.seconds[stage] += time.perf_counter() - started
        return result

    def parquet(self, name):
        return f"'{self.out / name}.parquet'"

    def copy(self, stage, query, name):
        [(self.rows[name],)] = self.timed(
            stage, f"COPY ({query}) TO {self.parquet(name)} (FORMAT parquet, COMPRESSION zstd)")

    def find(self, pattern):
        return sorted(glob.glob(str(self.data / "**" / pattern), recursive=True))

    def run(self):
        states = self.find("cases-brazil-states_*.csv")[-1]
        cities = self.find("cases-brazil-cities-time*.csv*")[-1]
        sivep = self.find("sum_dados_*.csv.xz")[-1]
        population = self.find("populacao-por-municipio-2020.csv")[-1]
        snapshots = self.find("data_*.csv.gz")

        # Bronze: typed rows, by header name. DuckDB cannot read .xz: the
        # decompression is timed as part of its bronze stage.
        counts = "totalCases, deaths, newCases, newDeaths"
        self.copy("bronze", f"""
            SELECT CASE WHEN state = 'TOTAL' THEN 'BR' ELSE UPPER(TRIM(state)) END AS uf, CAST(date AS DATE) AS date,
                   {number('totalCases')} AS cases, {number('deaths')} AS deaths,
                   {number('newCases')} AS new_cases, {number('newDeaths')} AS new_deaths
            FROM read_csv('{states}', all_varchar = true)""", "bronze_states")
        self.copy("bronze", f"""
            SELECT CASE WHEN state = 'TOTAL' THEN 'BR' ELSE UPPER(TRIM(state)) END AS uf,
                   CASE WHEN LENGTH(ibgeID) = 7 THEN ibgeID ELSE '' END AS city_ibge,
                   split_part(city, '/', 1) AS city, CAST(date AS DATE) AS date,
                   {number('totalCases')} AS cases, {number('deaths')} AS deaths,
                   {number('newCases')} AS new_cases, {number('newDeaths')} AS new_deaths
            FROM read_csv('{cities}', all_varchar = true)""", "bronze_cities")
        started = time.perf_counter()
        plain = self.out / "sivep.csv"
        with open(plain, "wb") as target:
            subprocess.run(["xz", "-dc", sivep], stdout=target, check=True)
        self.seconds["bronze"] += time.perf_counter() - started
        self.copy("bronze", f"""
            SELECT CASE WHEN sg_uf = 'NA' THEN '' ELSE COALESCE(sg_uf, '') END AS uf,
                   CASE WHEN co_mun_res = 'NA' THEN '' ELSE COALESCE(co_mun_res, '') END AS city_ibge6,
                   CAST(dt_evento AS DATE) AS date, age_class,
                   {number('srag')} AS srag, {number('covid')} AS covid,
                   {number('"ob.srag"')} AS deaths_srag, {number('"ob.covid"')} AS deaths_covid
            FROM read_csv('{plain}', all_varchar = true)""", "bronze_sivep")
        self.copy("bronze", f"""
            SELECT state AS uf, city_ibge_code AS city_ibge, city,
                   {number('estimated_population')} AS population
            FROM read_csv('{population}', all_varchar = true)""", "bronze_population")
        beds = ["ofertaHospCli", "ofertaHospUti", "ofertaSRAGCli", "ofertaSRAGUti",
                "ocupHospCli", "ocupHospUti", "ocupSRAGCli", "ocupSRAGUti"]
        names = ["offered_hosp_cli", "offered_hosp_uti", "offered_srag_cli", "offered_srag_uti",
                 "occupied_hosp_cli", "occupied_hosp_uti", "occupied_srag_cli", "occupied_srag_uti"]
        bed_columns = ", ".join(f"{number(b)} AS {n}" for b, n in zip(beds, names))
        for i, snapshot in enumerate(snapshots):
            self.copy("bronze", f"""
                SELECT CASE WHEN regexp_full_match(TRIM(cnes), '[0-9]{{1,6}}') THEN lpad(TRIM(cnes), 7, '0')
                            ELSE TRIM(cnes) END AS cnes,
                       UPPER(TRIM(estadoSigla)) AS uf, TRIM(municipio) AS city,
                       CAST(dataNotificacaoOcupacao AS TIMESTAMPTZ) AS notified_at,
                       CAST(ts_run AS TIMESTAMPTZ) AS snapshot_at, {bed_columns}
                FROM read_csv('{snapshot}', all_varchar = true)
                WHERE TRIM(cnes) <> '' AND TRY_CAST(dataNotificacaoOcupacao AS TIMESTAMPTZ) IS NOT NULL""",
                f"bronze_occupancy_{i:02}")

        # Silver: deduplicated and conformed.
        self.copy("silver", f"""
            SELECT * FROM read_parquet({self.parquet('bronze_states')})
            QUALIFY row_number() OVER (PARTITION BY uf, date) = 1 ORDER BY uf, date""", "silver_states")
        self.copy("silver", f"""
            SELECT * FROM read_parquet({self.parquet('bronze_cities')})
            QUALIFY row_number() OVER (PARTITION BY uf, city_ibge, city, date) = 1
            ORDER BY uf, city_ibge, city, date""", "silver_cities")
        self.copy("silver", f"""
            SELECT uf, city_ibge6, date, age_class, SUM(srag) AS srag, SUM(covid) AS covid,
                   SUM(deaths_srag) AS deaths_srag, SUM(deaths_covid) AS deaths_covid
            FROM read_parquet({self.parquet('bronze_sivep')}) GROUP BY ALL ORDER BY uf, date""", "silver_sivep")
        self.copy("silver", f"""
            SELECT * FROM read_parquet({self.parquet('bronze_population')})
            QUALIFY row_number() OVER (PARTITION BY city_ibge) = 1""", "silver_population")
        self.copy("silver", f"""
            SELECT * FROM read_parquet('{self.out}/bronze_occupancy_*.parquet')
            WHERE uf IN ('AC','AL','AM','AP','BA','CE','DF','ES','GO','MA','MG','MS','MT','PA','PB','PE','PI','PR',
                         'RJ','RN','RO','RR','RS','SC','SE','SP','TO')
            QUALIFY row_number() OVER (PARTITION BY cnes, notified_at ORDER BY snapshot_at DESC) = 1
            ORDER BY cnes, notified_at""", "silver_occupancy")

        # Gold.
        self.timed("gold", f"""
            CREATE TEMP TABLE pop AS
            SELECT uf, SUM(population) AS population FROM read_parquet({self.parquet('silver_population')}) GROUP BY uf
            UNION ALL SELECT 'BR', SUM(population) FROM read_parquet({self.parquet('silver_population')})""")
        week = "OVER (PARTITION BY {key} ORDER BY date RANGE BETWEEN INTERVAL 6 DAYS PRECEDING AND CURRENT ROW)"
        self.copy("gold", f"""
            SELECT s.*, SUM(new_cases) {week.format(key='s.uf')} / 7.0 AS new_cases_7d,
                   SUM(new_deaths) {week.format(key='s.uf')} / 7.0 AS new_deaths_7d, pop.population,
                   cases * 100000.0 / pop.population AS cases_per_100k,
                   deaths * 100000.0 / pop.population AS deaths_per_100k
            FROM read_parquet({self.parquet('silver_states')}) s LEFT JOIN pop USING (uf)""", "gold_cases_state")
        self.copy("gold", f"""
            SELECT c.*, SUM(new_cases) {week.format(key='c.city_ibge')} / 7.0 AS new_cases_7d,
                   SUM(new_deaths) {week.format(key='c.city_ibge')} / 7.0 AS new_deaths_7d, p.population,
                   cases * 100000.0 / p.population AS cases_per_100k,
                   deaths * 100000.0 / p.population AS deaths_per_100k
            FROM read_parquet({self.parquet('silver_cities')}) c
            LEFT JOIN read_parquet({self.parquet('silver_population')}) p USING (city_ibge)
            WHERE c.city_ibge <> ''""", "gold_cases_city")
        self.copy("gold", f"""
            WITH latest AS (
                SELECT * FROM read_parquet({self.parquet('gold_cases_city')})
                QUALIFY date = MAX(date) OVER ()),
            places AS (
                SELECT p.city_ibge, p.uf, p.population, COALESCE(l.cases, 0) AS cases, COALESCE(l.deaths, 0) AS deaths
                FROM read_parquet({self.parquet('silver_population')}) p LEFT JOIN latest l USING (city_ibge))
            SELECT 'city' AS scope, city_ibge, uf, metric, value, population,
                   rank() OVER (PARTITION BY metric ORDER BY value DESC, uf, city_ibge) AS rank
            FROM places,
                 LATERAL (VALUES ('cases_per_100k', cases * 100000.0 / population),
                                 ('deaths_per_100k', deaths * 100000.0 / population)) AS m(metric, value)""",
            "gold_ranking")
        self.copy("gold", f"""
            SELECT uf, date, SUM(srag) AS hospitalised, SUM(covid) AS confirmed, SUM(srag - covid) AS suspected,
                   SUM(deaths_srag) AS deaths, SUM(deaths_covid) AS deaths_confirmed,
                   SUM(deaths_srag - deaths_covid) AS deaths_suspected,
                   SUM(covid) / NULLIF(SUM(srag), 0) AS confirmed_share,
                   SUM(deaths_covid) / NULLIF(SUM(covid), 0) AS death_rate_confirmed,
                   SUM(deaths_srag - deaths_covid) / NULLIF(SUM(srag - covid), 0) AS death_rate_suspected
            FROM read_parquet({self.parquet('silver_sivep')}) GROUP BY uf, date ORDER BY uf, date""",
            "gold_srag_state")
        bed_types = " UNION ALL ".join(
            f"SELECT d, uf, '{cls}' AS bed_class, '{scope}' AS scope, {' + '.join('offered_' + p + '_' + c for p in parts)} AS off,"
            f" {' + '.join('occupied_' + p + '_' + c for p in parts)} AS occ,"
            f" LEAST({', '.join('offered_' + p + '_' + c for p in parts)}, {', '.join('occupied_' + p + '_' + c for p in parts)}) >= 0"
            f" AND GREATEST({', '.join('offered_' + p + '_' + c for p in parts)}, {', '.join('occupied_' + p + '_' + c for p in parts)}) <= 10000 AS plausible"
            f" FROM fresh"
            for cls, c in (("clinical", "cli"), ("icu", "uti"))
            for scope, parts in (("all", ("hosp", "srag")), ("covid", ("srag",))))
        self.copy("gold", f"""
            WITH n AS (
                SELECT *, CAST(notified_at AT TIME ZONE 'UTC' - {BRT} AS DATE) AS nday,
                       CAST(snapshot_at AT TIME ZONE 'UTC' - {BRT} AS DATE) AS sday
                FROM read_parquet({self.parquet('silver_occupancy')})),
            days AS (SELECT CAST(unnest(generate_series(MIN(sday), MAX(sday), INTERVAL 1 DAY)) AS DATE) AS d FROM n),
            current AS (SELECT d, cnes, MAX(notified_at) AS notified_at FROM days JOIN n ON n.nday <= days.d GROUP BY d, cnes),
            fresh AS (SELECT current.d, n.* FROM current JOIN n USING (cnes, notified_at) WHERE current.d - n.nday <= 13),
            typed AS ({bed_types})
            SELECT uf, d AS date, bed_class, scope,
                   SUM(off) FILTER (plausible AND off > 0) AS offered,
                   SUM(LEAST(occ, off)) FILTER (plausible AND off > 0) AS occupied,
                   SUM(occ) FILTER (plausible AND off > 0) AS occupied_raw,
                   SUM(LEAST(occ, off)) FILTER (plausible AND off > 0) / SUM(off) FILTER (plausible AND off > 0) AS rate,
                   COUNT(*) FILTER (plausible AND off > 0) AS hospitals,
                   COUNT(*) FILTER (plausible AND off > 0 AND occ > off) AS over_capacity,
                   COUNT(*) FILTER (NOT plausible) AS rejected
            FROM typed GROUP BY ALL HAVING COUNT(*) FILTER (plausible AND off > 0) > 0
            ORDER BY date, uf, bed_class, scope""", "gold_occupancy_state")
        return self.seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary")
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--duck-memory", default="1GB", help="DuckDB's memory_limit")
    parser.add_argument("--database-url", help="load gold into a fresh database on this PostgreSQL server")
    parser.add_argument("--duck-only", action="store_true", help="run only the DuckDB side")
    parser.add_argument("--duck-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    data = args.data.resolve()

    if args.duck_worker:
        # The child: the work in this process, into its working folder; JSON out.
        started = time.perf_counter()
        duck = DuckRun(data, Path.cwd(), args.threads, args.duck_memory)
        seconds = duck.run()
        print(json.dumps({"seconds": seconds, "wall": time.perf_counter() - started, "rows": duck.rows}))
        return
    if not args.duck_only and not args.binary:
        parser.error("--binary is required unless --duck-only")
    if not data.is_dir():
        parser.error(f"no data folder {data}")

    input_mb = sum(p.stat().st_size for p in data.rglob("*") if p.is_file() and (
        p.name.startswith(("cases-brazil-states_", "cases-brazil-cities-time", "sum_dados_", "data_"))
        or p.name == "populacao-por-municipio-2020.csv")) / 1e6

    with tempfile.TemporaryDirectory() as ours, tempfile.TemporaryDirectory() as theirs:
        if not args.duck_only:
            store_at = fresh_database(args.database_url) if args.database_url else nullcontext()
            with store_at as url:
                wall, rss, stages, rows, status, store = sentinela(args.binary, data, Path(ours), url)
            if status != "ok":
                sys.exit(f"the ingest run ended {status}")
        duck, duck_wall, duck_rss, duck_rows = duckdb_child(data, Path(theirs), args.threads, args.duck_memory)

    bronze_rows = sum(n for name, n in duck_rows.items() if name.startswith("bronze_"))
    occupancy_rows = sum(n for name, n in duck_rows.items() if name.startswith("bronze_occupancy_"))
    dedupe = (f"occupancy: {occupancy_rows:,} bronze rows, {duck_rows['silver_occupancy']:,} after the "
              f"(cnes, notified_at) dedupe in silver ({duck_rows['silver_occupancy'] / occupancy_rows:.0%})")
    duck_line = (f"duckdb: {bronze_rows / duck_wall:,.0f} rows/s ({bronze_rows:,} rows into bronze), "
                 f"{input_mb / duck_wall:.1f} MB/s, peak RSS {duck_rss:.0f} MiB "
                 f"(memory_limit {args.duck_memory}, {args.threads} threads)")
    if args.duck_only:
        print(f"input: {input_mb:.1f} MB of files (compressed as published)")
        print(f"{'stage':<10} {'duckdb s':>10}")
        for stage in ("bronze", "silver", "gold"):
            print(f"{stage:<10} {duck[stage]:>10.3f}")
        print(f"{'stages':<10} {sum(duck.values()):>10.3f}")
        print(f"{'wall':<10} {duck_wall:>10.3f}")
        print(f"{'RSS MiB':<10} {duck_rss:>10.0f}   (peak)")
        print(duck_line)
        print(dedupe)
        return

    print(f"input: {input_mb:.1f} MB of files (compressed as published), {rows:,} rows parsed")
    print(f"{'stage':<10} {'sentinela s':>12} {'duckdb s':>10} {'ratio':>7}")
    for stage in ("bronze", "silver", "gold"):
        print(f"{stage:<10} {stages[stage]:>12.3f} {duck[stage]:>10.3f} {stages[stage] / duck[stage]:>7.2f}")
    ours_total, theirs_total = sum(stages.values()), sum(duck.values())
    print(f"{'stages':<10} {ours_total:>12.3f} {theirs_total:>10.3f} {ours_total / theirs_total:>7.2f}")
    print(f"{'wall':<10} {wall:>12.3f} {duck_wall:>10.3f} {wall / duck_wall:>7.2f}"
          "   (sentinela: process, lake copy of raw, store load included)")
    print(f"{'RSS MiB':<10} {rss:>12.0f} {duck_rss:>10.0f} {rss / duck_rss:>7.2f}   (peak)")
    print(f"sentinela: {rows / wall:,.0f} rows/s, {input_mb / wall:.1f} MB/s, peak RSS {rss:.0f} MiB")
    print(duck_line)
    if store is None:
        print("store load: not reported")
    else:
        kind = "PostgreSQL COPY" if args.database_url else "embedded"
        print(f"store load: {store['rows']:,} rows in {store['seconds']:.3f} s = "
              f"{store['rows'] / store['seconds']:,.0f} rows/s ({kind})")
    print(dedupe)


if __name__ == "__main__":
    main()
