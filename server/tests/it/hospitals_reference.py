#!/usr/bin/env python3
"""Reference values of the hospital radar, computed straight from the raw
occupancy snapshots with Python's standard library alone, independently of
Sentinela's code, following BRIEF.md's indicator 2 applied to one hospital:

- a hospital is its CNES code trimmed of spaces and tabs, left-padded with
  zeros to 7 digits when it is all digits and shorter; its state is
  `estadoSigla` trimmed and upper-cased (reports of no known state count
  nowhere);
- a report's day is the date of `dataNotificacaoOcupacao` in Brasília time;
- a report (hospital and `dataNotificacaoOcupacao`) counts in the version
  of the newest snapshot (`ts_run`);
- on day D a hospital counts with its latest report whose day is on or
  before D, if that day is at most 13 days before D (else it is stale);
- per bed type T (clinical/ICU × all = Hosp + SRAG / covid = SRAG), offered
  and occupied are the sums of the scope's columns, blanks as zero; the
  type is rejected if an involved value is negative, fractional or above
  10,000, has no beds if offered is 0, and is counted otherwise, occupied
  capped at offered, rate = occupied / offered;
- respirators (`ofertaRespiradores`) of the report counted, if it is fresh
  and a whole number from 0 to 10,000;
- the 7-day change of a type's rate, in percentage points, when the type is
  counted on D and on D - 7;
- `fractional`: whether the report counted holds a count that is not a
  whole number (Sentinela's parser rejects such a report whole, with its
  reason, where the brief rejects the bed types it is involved in).

Usage: hospitals_reference.py DATA_DIR DAY [DAY ...]
Prints JSON: {DAY: {CNES: {"uf", "days_since_report", "respirators", "fractional",
"types": {"icu/all": {"status", "offered", "occupied", "occupied_raw",
"rate", "change_7d"}, ...}}}}.
"""

import csv
import datetime
import glob
import gzip
import json
import os
import sys
from zoneinfo import ZoneInfo

BRASILIA = ZoneInfo("America/Sao_Paulo")
STATES = set(
    "AC AL AM AP BA CE DF ES GO MA MG MS MT PA PB PE PI PR RJ RN RO RR RS SC SE SP TO".split()
)
COLUMNS = [
    "ofertaHospCli", "ofertaHospUti", "ofertaSRAGCli", "ofertaSRAGUti",
    "ocupHospCli", "ocupHospUti", "ocupSRAGCli", "ocupSRAGUti",
]
TYPES = {
    "clinical/all": (["ofertaHospCli", "ofertaSRAGCli"], ["ocupHospCli", "ocupSRAGCli"]),
    "clinical/covid": (["ofertaSRAGCli"], ["ocupSRAGCli"]),
    "icu/all": (["ofertaHospUti", "ofertaSRAGUti"], ["ocupHospUti", "ocupSRAGUti"]),
    "icu/covid": (["ofertaSRAGUti"], ["ocupSRAGUti"]),
}
WINDOW = 13
LIMIT = 10_000


def code(text):
    text = text.strip(" \t")
    if text and len(text) < 7 and text.isdigit():
        return text.zfill(7)
    return text


def instant(text):
    text = text.strip()
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def number(text):
    """A count: None when blank, the float otherwise; 'bad' when unreadable."""
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return "bad"


def reports(folder):
    """Every report in its newest version: {(cnes, instant): row}."""
    latest = {}
    for path in sorted(glob.glob(os.path.join(folder, "occupancy", "data_*.csv.gz"))):
        with gzip.open(path, "rt", encoding="utf-8", newline="") as file:
            for row in csv.DictReader(file):
                hospital = code(row["cnes"])
                notified = instant(row["dataNotificacaoOcupacao"])
                snapshot = instant(row["ts_run"])
                if not hospital or notified is None or snapshot is None:
                    continue
                values = {c: number(row[c]) for c in COLUMNS}
                if any(v == "bad" for v in values.values()):
                    continue
                key = (hospital, notified)
                if key not in latest or snapshot > latest[key]["snapshot"]:
                    latest[key] = {
                        "snapshot": snapshot,
                        "uf": row["estadoSigla"].strip().upper(),
                        "day": notified.astimezone(BRASILIA).date(),
                        "notified": notified,
                        "values": values,
                        "respirators": number(row["ofertaRespiradores"]),
                    }
    by_hospital = {}
    for (hospital, _), report in latest.items():
        if report["uf"] in STATES:
            by_hospital.setdefault(hospital, []).append(report)
    return by_hospital


def judge(report, offered_columns, occupied_columns):
    values = [report["values"][c] or 0.0 for c in offered_columns + occupied_columns]
    if any(v < 0 or v > LIMIT or v != int(v) for v in values):
        return {"status": "rejected"}
    offered = int(sum(values[: len(offered_columns)]))
    occupied_raw = int(sum(values[len(offered_columns):]))
    if offered <= 0:
        return {"status": "no_beds"}
    occupied = min(occupied_raw, offered)
    return {
        "status": "counted",
        "offered": offered,
        "occupied": occupied,
        "occupied_raw": occupied_raw,
        "rate": occupied / offered,
    }


def on(hospital_reports, day):
    """A hospital on `day`: None without a report on or before it."""
    current = [r for r in hospital_reports if r["day"] <= day]
    if not current:
        return None
    report = max(current, key=lambda r: r["notified"])
    age = (day - report["day"]).days
    if age > WINDOW:
        types = {name: {"status": "stale"} for name in TYPES}
        respirators = None
    else:
        types = {name: judge(report, *columns) for name, columns in TYPES.items()}
        r = report["respirators"]
        respirators = int(r) if isinstance(r, float) and r == int(r) and 0 <= r <= LIMIT else None
    return {
        "uf": report["uf"],
        "fractional": any(v is not None and v != int(v) for v in report["values"].values()),
        "days_since_report": age,
        "respirators": respirators,
        "types": types,
    }


def main():
    folder, days = sys.argv[1], [datetime.date.fromisoformat(d) for d in sys.argv[2:]]
    hospitals = reports(folder)
    result = {}
    for day in days:
        week_before = day - datetime.timedelta(days=7)
        result[day.isoformat()] = hospitals_on = {}
        for hospital, hospital_reports in sorted(hospitals.items()):
            now = on(hospital_reports, day)
            if now is None:
                continue
            then = on(hospital_reports, week_before)
            for name, figures in now["types"].items():
                before = then["types"][name] if then else {"status": "none"}
                figures["change_7d"] = (
                    (figures["rate"] - before["rate"]) * 100
                    if figures["status"] == "counted" and before["status"] == "counted"
                    else None
                )
            hospitals_on[hospital] = now
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
