#!/usr/bin/env python3
"""Each design rule of check_hcl.py can fail: every mutation below breaks the
Terraform one way (in a copy, never in place) and must make the rule it
names fail, while the unbroken copy passes every check. A rule that a
mutation no longer trips is a rule that no longer guards anything.

Prints one line per mutation and, last, `design rules: N passed, M failed`;
exits 1 on any failure.

Usage: test_check_hcl.py [TERRAFORM_DIR]   (default: the folder above this file)
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
import tempfile
from pathlib import Path

import hcl2

import check_hcl

# (rule named in the failure, file, text, replacement): the text must be
# found in the file, so a mutation that no longer applies fails too.
MUTATIONS = [
    ("web task role's policies", "modules/iam/web.tf",
     'actions   = ["s3:GetObject"]', 'actions   = ["s3:GetObject", "s3:PutObject"]'),
    ("web task role's policies", "modules/iam/web.tf",
     'actions   = ["s3:GetObject"]', 'actions   = ["s3:Delete*"]'),
    ("web task role's policies", "modules/iam/web.tf",
     'actions   = ["s3:GetObject"]', 'actions   = ["s3:*"]'),
    ("web task role's policies", "modules/iam/web.tf",
     'actions   = ["events:PutEvents"]', 'actions   = ["events:PutEvents", "ecs:RunTask"]'),
    ("web task role's policies", "modules/iam/web.tf",
     'actions   = ["events:PutEvents"]', 'actions   = ["events:PutEvents", "iam:Pass*"]'),
    ("web task role's policies", "modules/iam/web.tf",
     'resource "aws_iam_role_policy" "web_task" {',
     'resource "aws_iam_role_policy_attachment" "extra" {\n  role       = aws_iam_role.web_task.name\n'
     '  policy_arn = "arn:aws:iam::aws:policy/AmazonS3FullAccess"\n}\n\nresource "aws_iam_role_policy" "web_task" {'),
    ("web task role's policies", "main.tf",
     "task_role_arn                = module.iam.web_task_role_arn",
     "task_role_arn                = module.iam.ingest_task_role_arn"),
    ("web task runs no scheduler", "modules/service/main.tf",
     '{ name = "SENTINELA_DB_MIGRATE", value = "false" }', '{ name = "SENTINELA_DB_MIGRATE", value = "true" }'),
    ("web task runs no scheduler", "modules/service/main.tf",
     '      { name = "SENTINELA_SCHEDULER", value = "false" },\n', ""),
    ("read only by the", "modules/iam/governance.tf",
     '      "secretsmanager:PutSecretValue",', '      "secretsmanager:PutSecretValue",\n      "secretsmanager:GetSecretValue",'),
    ("read only by the", "modules/iam/main.tf",
     'compact([var.database_login_secret_arns["web"], ',
     'compact([var.source_credentials_secret_arn, var.database_login_secret_arns["web"], '),
    ("read only by the", "modules/iam/main.tf",
     '[var.database_login_secret_arns["ingest"], ',
     '[var.smtp_credentials_secret_arn, var.database_login_secret_arns["ingest"], '),
    ("read only by the", "modules/iam/main.tf",
     ', var.smtp_credentials_secret_arn])', '])'),
    ("has alarm_actions", "modules/alarms/main.tf",
     '  treat_missing_data  = "notBreaching"\n  alarm_actions       = [aws_sns_topic.alerts.arn]\n'
     '  ok_actions          = [aws_sns_topic.alerts.arn]\n\n  metric_query {\n    id          = "rate"',
     '  treat_missing_data  = "notBreaching"\n  ok_actions          = [aws_sns_topic.alerts.arn]\n\n'
     '  metric_query {\n    id          = "rate"'),
    ("checks /healthz", "modules/service/main.tf",
     'path                = "/healthz"', 'path                = "/readyz"'),
    ("answers /metrics", "modules/service/main.tf",
     'status_code  = "404"', 'status_code  = "200"'),
    ("S3 Object Lock", "modules/lake/main.tf",
     "raw    = var.raw_object_lock_days", "raw    = null"),
    ("S3 Object Lock", "modules/lake/main.tf",
     "  object_lock_days                   = local.object_lock_days[each.key]\n", ""),
    ("S3 Object Lock", "variables.tf", "  default     = 1825\n", "  default     = 0\n"),
    ("S3 Object Lock", "modules/s3-bucket/main.tf", 'mode = "GOVERNANCE"', 'mode = "NONE"'),
    ("redact the query string", "modules/service/main.tf",
     "  redacted_fields {\n    query_string {}\n  }\n\n", ""),
    ("budget notification", "modules/budget/main.tf",
     "    subscriber_sns_topic_arns = [var.alert_topic_arn]",
     '    subscriber_email_addresses = ["ops@example.com"]'),
    ("event rules match source", "modules/ingest_job/main.tf",
     'event_source = "sentinela.web"', 'event_source = "sentinela.other"'),
]


def failures(root: Path) -> list[str]:
    """The FAIL lines of every check of `root`."""
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        check_hcl.run(root)
    return [line for line in output.getvalue().splitlines() if line.startswith("FAIL")]


def cache_parses() -> None:
    """Parse each distinct file text once: the mutations change one file."""
    load, cache = hcl2.load, {}

    def cached(handle):
        text = handle.read()
        if text not in cache:
            cache[text] = load(io.StringIO(text))
        return cache[text]

    hcl2.load = cached


def main() -> int:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
    cache_parses()
    passed = failed = 0

    def report(ok: bool, what: str, why: str) -> None:
        nonlocal passed, failed
        passed, failed = passed + ok, failed + (not ok)
        print(f"ok    {what}" if ok else f"FAIL  {what}: {why}")

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "terraform"
        ignore = shutil.ignore_patterns(".terraform", "*.tfstate*")
        shutil.copytree(source, root, ignore=ignore)
        unbroken = failures(root)
        report(not unbroken, "unbroken copy passes every check", "; ".join(unbroken))
        for rule, file, text, replacement in MUTATIONS:
            before, after = (t.strip().splitlines()[0][:50] if t.strip() else "(removed)" for t in (text, replacement))
            what = f"{file}: {before} => {after}: '{rule}' fails"
            path = root / file
            original = path.read_text(encoding="utf-8")
            if text not in original:
                report(False, what, "the text to break is no longer in the file: update this mutation")
                continue
            path.write_text(original.replace(text, replacement, 1), encoding="utf-8")
            try:
                caught = [line for line in failures(root) if "design:" in line and rule in line]
            finally:
                path.write_text(original, encoding="utf-8")
            report(bool(caught), what, "the rule did not fail")
    print(f"design rules: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
