#!/usr/bin/env python3
"""Offline checks of Sentinela's Terraform, for machines where `terraform
init` cannot download providers.

What `terraform validate` would catch without providers, and a little more:

* every .tf and .tfvars file parses (python-hcl2);
* every module folder has main.tf, variables.tf and outputs.tf, every
  variable a type and a description, every output a description;
* every `module` block: its source folder exists, every argument is a
  variable of that module, every variable without a default is passed;
* every `module.X.Y` points at a module X of the folder with an output Y;
* every `var.X` and `local.X` is declared in its folder;
* environments/*.tfvars set only declared root variables, and every
  required root variable;
* no AWS account ID or e-mail address is hard-coded in a .tf file;
* lake_tables.json is well-formed (known layer, snake_case names, prefix
  `<name>/`, non-empty columns, Glue types, partition keys apart from the
  columns, Athena projection of partition keys);
* the production design holds (README.md, "Checks"): the web service's task
  role, found through the wiring (root module "service" task_role_arn ->
  iam output -> aws_iam_role), has only inline policies from policy
  documents, and none of their Allow statements grants an action that
  matches s3:PutObject, s3:DeleteObject, ecs:RunTask, ecs:StartTask or
  iam:PassRole (wildcards included); the web task definition serves only
  (SENTINELA_SCHEDULER and SENTINELA_DB_MIGRATE false, an ingest event bus);
  the source credentials, the signing key and the SMTP credentials are read
  only by the execution role of the task that uses them;
  every aws_cloudwatch_metric_alarm has alarm_actions; every target group
  checks /healthz; a listener rule answers /metrics with a fixed 404; the
  raw bucket has S3 Object Lock; WAF logs redact the query string; every
  budget notification goes to an SNS topic; the ingest's event rules match
  the server's EVENT_SOURCE.

Prints one line per check and, last, `terraform checks: N passed, M failed`;
exits 1 on any failure.

Usage: check_hcl.py [TERRAFORM_DIR]   (default: the folder above this file)
"""

from __future__ import annotations

import json
import re
import sys
from fnmatch import fnmatchcase
from dataclasses import dataclass, field
from pathlib import Path

import hcl2

META_ARGUMENTS = {"source", "version", "count", "for_each", "providers", "depends_on"}
LAYERS = {"silver", "gold"}
GLUE_PRIMITIVES = {
    "string", "bigint", "int", "smallint", "tinyint", "double", "float",
    "boolean", "date", "timestamp", "binary",
}
GLUE_PARAMETERISED = re.compile(r"^(decimal\(\d{1,2},\s*\d{1,2}\)|varchar\(\d+\)|char\(\d+\))$")
PROJECTION_TYPES = {"date", "integer", "enum", "injected"}
SNAKE_CASE = re.compile(r"^[a-z][a-z0-9_]*$")
GLUE_COMMENT_MAX = 255

VAR_REF = re.compile(r"(?<![\w.])var\.([A-Za-z_][\w-]*)")
LOCAL_REF = re.compile(r"(?<![\w.])local\.([A-Za-z_][\w-]*)")
MODULE_REF = re.compile(r"(?<![\w.])module\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?\.([A-Za-z_][\w-]*)")
ACCOUNT_ID = re.compile(r"(?<![\d.])\d{12}(?![\d.])")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def unquote(label: str) -> str:
    """python-hcl2 keeps the quotes of block labels and string literals."""
    if len(label) >= 2 and label[0] == label[-1] == '"':
        return label[1:-1]
    return label


def strings(value, skip_keys=("__comments__",)):
    """Every string inside a parsed value (comments left out)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key in skip_keys:
                continue
            yield key
            yield from strings(item, skip_keys)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item, skip_keys)


def blocks(document: dict, kind: str):
    """(label, body) of every `kind "label" { ... }` block of a document."""
    for entry in document.get(kind, []):
        for label, body in entry.items():
            yield unquote(label), body


@dataclass
class Folder:
    path: Path
    files: dict[str, dict] = field(default_factory=dict)
    variables: dict[str, dict] = field(default_factory=dict)
    outputs: dict[str, dict] = field(default_factory=dict)
    locals: set[str] = field(default_factory=set)
    local_values: dict[str, object] = field(default_factory=dict)
    modules: dict[str, dict] = field(default_factory=dict)

    def add(self, name: str, document: dict) -> None:
        self.files[name] = document
        for label, body in blocks(document, "variable"):
            self.variables[label] = body
        for label, body in blocks(document, "output"):
            self.outputs[label] = body
        for label, body in blocks(document, "module"):
            self.modules[label] = body
        for entry in document.get("locals", []):
            self.locals.update(k for k in entry if not k.startswith("__"))
            self.local_values.update((k, v) for k, v in entry.items() if not k.startswith("__"))

    def blocks_of(self, kind: str, type_: str):
        """(name, body) of every `kind "type_" "name"` block (resource, data)."""
        for document in self.files.values():
            for type_label, named in blocks(document, kind):
                if type_label == type_:
                    for name, body in named.items():
                        yield unquote(name), body


class Checks:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.passed = 0
        self.failed = 0

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def check(self, ok: bool, what: str, why: str = "") -> bool:
        if ok:
            self.passed += 1
            print(f"ok    {what}")
        else:
            self.failed += 1
            print(f"FAIL  {what}: {why}")
        return ok

    # ------------------------------------------------------------ parsing

    def parse(self) -> dict[Path, Folder]:
        folders: dict[Path, Folder] = {}
        for path in sorted(self.root.rglob("*.tf")):
            if ".terraform" in path.parts:
                continue
            try:
                with path.open(encoding="utf-8") as handle:
                    document = hcl2.load(handle)
            except Exception as error:  # any parser error is a failed check
                self.check(False, f"parse {self.rel(path)}", str(error).splitlines()[0])
                continue
            self.check(True, f"parse {self.rel(path)}")
            folders.setdefault(path.parent, Folder(path.parent)).add(path.name, document)
        return folders

    # ------------------------------------------------------------ structure

    def structure(self, folders: dict[Path, Folder]) -> None:
        for folder in folders.values():
            where = self.rel(folder.path)
            if folder.path.parent.name == "modules":
                missing = [n for n in ("main.tf", "variables.tf", "outputs.tf") if n not in folder.files]
                self.check(not missing, f"{where}: has main.tf, variables.tf, outputs.tf",
                           f"missing {', '.join(missing)}")
            bare = sorted(name for name, body in folder.variables.items()
                          if "type" not in body or not unquote(str(body.get("description", ""))).strip())
            self.check(not bare, f"{where}: all {len(folder.variables)} variables have a type and a description",
                       f"missing on: {', '.join(bare)}")
            bare = sorted(name for name, body in folder.outputs.items()
                          if not unquote(str(body.get("description", ""))).strip())
            self.check(not bare, f"{where}: all {len(folder.outputs)} outputs have a description",
                       f"missing on: {', '.join(bare)}")

    # ------------------------------------------------------------ references

    def modules(self, folders: dict[Path, Folder]) -> None:
        for folder in folders.values():
            where = self.rel(folder.path)
            for name, body in sorted(folder.modules.items()):
                source = unquote(str(body.get("source", "")))
                target = (folder.path / source).resolve()
                if not self.check(source.startswith(("./", "../")) and target in folders,
                                  f"{where}: module {name} source {source} exists",
                                  "no such local module folder with .tf files"):
                    continue
                declared = folders[target].variables
                passed = {k for k in body if not k.startswith("__")} - META_ARGUMENTS
                unknown = sorted(passed - declared.keys())
                self.check(not unknown, f"{where}: module {name} arguments are variables of {source}",
                           f"not declared there: {', '.join(unknown)}")
                required = sorted(v for v, b in declared.items() if "default" not in b)
                missing = [v for v in required if v not in passed]
                self.check(not missing, f"{where}: module {name} gets every required variable",
                           f"missing: {', '.join(missing)}")

    def references(self, folders: dict[Path, Folder]) -> None:
        for folder in folders.values():
            where = self.rel(folder.path)
            used_vars: set[str] = set()
            used_locals: set[str] = set()
            used_modules: set[tuple[str, str]] = set()
            for document in folder.files.values():
                rest = {k: v for k, v in document.items() if k != "variable"}
                for text in strings(rest):
                    used_vars.update(VAR_REF.findall(text))
                    used_locals.update(LOCAL_REF.findall(text))
                    used_modules.update(MODULE_REF.findall(text))
                # A variable's validation may name other variables; naming
                # itself does not count as a use.
                for name, body in blocks(document, "variable"):
                    for text in strings(body):
                        used_vars.update(v for v in VAR_REF.findall(text) if v != name)
            undeclared = sorted(used_vars - folder.variables.keys())
            self.check(not undeclared, f"{where}: every var.X is declared ({len(used_vars)} used)",
                       f"undeclared: {', '.join(undeclared)}")
            unused = sorted(folder.variables.keys() - used_vars)
            self.check(not unused, f"{where}: every declared variable is used",
                       f"unused: {', '.join(unused)}")
            undeclared = sorted(used_locals - folder.locals)
            self.check(not undeclared, f"{where}: every local.X is declared ({len(used_locals)} used)",
                       f"undeclared: {', '.join(undeclared)}")
            bad = []
            for module, output in sorted(used_modules):
                body = folder.modules.get(module)
                if body is None:
                    bad.append(f"module.{module} (no such module)")
                    continue
                target = (folder.path / unquote(str(body.get("source", "")))).resolve()
                if target not in folders or output not in folders[target].outputs:
                    bad.append(f"module.{module}.{output} (no such output)")
            self.check(not bad, f"{where}: every module.X.Y is an output ({len(used_modules)} used)",
                       "; ".join(bad))

    def hygiene(self, folders: dict[Path, Folder]) -> None:
        for folder in folders.values():
            for name in sorted(folder.files):
                path = folder.path / name
                text = "\n".join(
                    line for line in path.read_text(encoding="utf-8").splitlines()
                    if not line.lstrip().startswith(("#", "//"))
                )
                found = ACCOUNT_ID.findall(text) + EMAIL.findall(text)
                self.check(not found, f"{self.rel(path)}: no hard-coded account ID or e-mail",
                           ", ".join(sorted(set(found))))

    def tfvars(self, folders: dict[Path, Folder]) -> None:
        root = folders.get(self.root.resolve()) or folders.get(self.root)
        if root is None:
            self.check(False, "root module", "no .tf files in the root folder")
            return
        for path in sorted((self.root / "environments").glob("*.tfvars")):
            where = self.rel(path)
            try:
                with path.open(encoding="utf-8") as handle:
                    values = hcl2.load(handle)
            except Exception as error:
                self.check(False, f"parse {where}", str(error).splitlines()[0])
                continue
            self.check(True, f"parse {where}")
            keys = {k for k in values if not k.startswith("__")}
            unknown = sorted(keys - root.variables.keys())
            self.check(not unknown, f"{where}: sets only root variables", f"unknown: {', '.join(unknown)}")
            missing = sorted(v for v, b in root.variables.items() if "default" not in b and v not in keys)
            self.check(not missing, f"{where}: sets every required root variable",
                       f"missing: {', '.join(missing)}")
            emails = EMAIL.findall(path.read_text(encoding="utf-8"))
            foreign = sorted({e for e in emails if not e.lower().endswith(("@example.com", "@example.org"))})
            self.check(not foreign, f"{where}: e-mail addresses are examples only", ", ".join(foreign))

    # ------------------------------------------------------------ design
    # Rules of the production design (issue 20): each names what it found,
    # and a broken wiring (a reference it cannot follow) is a failure, never
    # a silent pass.

    WEB_ROLE_FORBIDDEN = ("s3:PutObject", "s3:DeleteObject", "ecs:RunTask", "ecs:StartTask", "iam:PassRole")

    def design(self, folders: dict[Path, Folder]) -> None:
        root = folders.get(self.root)
        module = {path.name: folder for path, folder in folders.items() if path.parent.name == "modules"}
        needed = {"iam", "service", "lake", "s3-bucket", "ingest_job"}
        if root is None or not needed <= module.keys():
            self.check(False, "design: the root folder and modules " + ", ".join(sorted(needed)),
                       "missing: " + ", ".join(sorted(needed - module.keys())))
            return
        self.web_task_role(root, module["iam"])
        self.web_task_definition(module["service"])
        self.secrets_read_by_their_task(module["iam"])
        self.alarms_have_actions(folders)
        self.health_checks(folders)
        self.metrics_not_served(folders)
        self.raw_object_lock(root, module["lake"], module["s3-bucket"])
        self.waf_redacts_query_string(folders)
        self.budget_to_topic(folders)
        self.event_source(module["ingest_job"])

    def web_task_role(self, root: Folder, iam: Folder) -> None:
        """The web's task role, followed from the wiring, never writes the
        lake nor starts tasks."""
        what = "design: the web task role's policies allow none of " + ", ".join(self.WEB_ROLE_FORBIDDEN)
        wiring = str(root.modules.get("service", {}).get("task_role_arn", ""))
        found = MODULE_REF.findall(wiring)
        output = iam.outputs.get(found[0][1]) if found and found[0][0] == "iam" else None
        role = re.search(r"aws_iam_role\.([\w-]+)\.arn", str((output or {}).get("value", "")))
        if role is None:
            self.check(False, what, f"cannot follow module service's task_role_arn ({wiring}) to an aws_iam_role of modules/iam")
            return
        role = role.group(1)
        reference = re.compile(rf"aws_iam_role\.{re.escape(role)}\.(id|name|arn)\b")
        problems: list[str] = []
        documents = dict(iam.blocks_of("data", "aws_iam_policy_document"))
        policies = [(name, body) for name, body in iam.blocks_of("resource", "aws_iam_role_policy")
                    if reference.search(str(body.get("role", "")))]
        for kind in ("aws_iam_role_policy_attachment", "aws_iam_policy_attachment", "aws_iam_role_policies_exclusive"):
            for name, body in iam.blocks_of("resource", kind):
                if reference.search(str(body)):
                    problems.append(f"{kind}.{name} attaches a policy this check cannot read")
        for name, body in iam.blocks_of("resource", "aws_iam_role"):
            if name == role and "inline_policy" in body:
                problems.append(f"aws_iam_role.{name} has an inline_policy block")
        if not policies:
            problems.append(f"no aws_iam_role_policy on aws_iam_role.{role}")
        for name, body in policies:
            document = re.fullmatch(r"\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}", str(body.get("policy", "")))
            if document is None or document.group(1) not in documents:
                problems.append(f"aws_iam_role_policy.{name}: policy is not a policy document of modules/iam")
                continue
            for index, statement in enumerate(documents[document.group(1)].get("statement", [])):
                where = f"{document.group(1)} statement {unquote(str(statement.get('sid', index)))}"
                if unquote(str(statement.get("effect", '"Allow"'))) != "Allow":
                    continue
                if "not_actions" in statement:
                    problems.append(f"{where}: an Allow with not_actions")
                actions = statement.get("actions")
                if not isinstance(actions, list) or any(a.startswith("${") for a in map(str, actions)):
                    problems.append(f"{where}: actions are not a list of literals")
                    continue
                for action in map(unquote, map(str, actions)):
                    hit = [f for f in self.WEB_ROLE_FORBIDDEN if fnmatchcase(f.lower(), action.lower())]
                    if hit:
                        problems.append(f"{where}: {action} allows {', '.join(hit)}")
        self.check(not problems, f"{what} (aws_iam_role.{role}, {len(policies)} inline policies)", "; ".join(problems))

    def web_task_definition(self, service: Folder) -> None:
        """The web service's task definition serves only."""
        what = "design: the web task runs no scheduler, no migrations, and asks the ingest bus"
        services = list(service.blocks_of("resource", "aws_ecs_service"))
        definitions = dict(service.blocks_of("resource", "aws_ecs_task_definition"))
        names = [m.group(1) for _, body in services
                 if (m := re.search(r"aws_ecs_task_definition\.([\w-]+)\.arn", str(body.get("task_definition", ""))))]
        if not (len(services) == 1 and len(names) == 1 and names[0] in definitions):
            self.check(False, what, "expected one aws_ecs_service whose task_definition is an aws_ecs_task_definition of modules/service")
            return
        containers = str(definitions[names[0]].get("container_definitions", ""))
        wanted = {"SENTINELA_SCHEDULER": '"false"', "SENTINELA_DB_MIGRATE": '"false"', "SENTINELA_INGEST_EVENT_BUS": None}
        problems = []
        for name, value in wanted.items():
            found = re.search(rf'\{{\s*name\s*=\s*"{name}"\s*,\s*value\s*=\s*([^}}]+?)\s*\}}', containers)
            if found is None:
                problems.append(f"{name} not set")
            elif value is not None and found.group(1) != value:
                problems.append(f"{name} = {found.group(1)}, not {value}")
        self.check(not problems, f"{what} (aws_ecs_task_definition.{names[0]})", "; ".join(problems))

    # The secret a single task needs, and the execution role (a key of the
    # iam module's local.executions) that alone may read it. The SMTP
    # credentials are the web's: its alert delivery worker sends the
    # e-mails, the ingest never does.
    OWN_SECRETS = {
        "source_credentials_secret_arn": "ingest",
        "signing_key_secret_arn": "web",
        "smtp_credentials_secret_arn": "web",
    }

    def secrets_read_by_their_task(self, iam: Folder) -> None:
        """The source credentials, the signing key and the SMTP credentials
        are read only by the execution role of the task that uses them: no
        other execution role lists them, and no other policy statement grants
        a read of them."""
        what = "design: " + ", ".join(f"var.{v} is read only by the {k} execution role" for v, k in self.OWN_SECRETS.items())
        executions = iam.local_values.get("executions")
        if not isinstance(executions, dict) or not set(self.OWN_SECRETS.values()) <= executions.keys():
            self.check(False, what, "modules/iam has no local.executions with the web and ingest execution roles")
            return
        problems = []
        for variable, owner in self.OWN_SECRETS.items():
            mention = re.compile(rf"var\.{variable}\b")
            readers = sorted(key for key, body in executions.items() if mention.search(str(body.get("secret_arns", ""))))
            if readers != [owner]:
                problems.append(f"var.{variable} is in the secret_arns of {readers or 'no execution role'}, not only {owner}'s")
            for name, document in iam.blocks_of("data", "aws_iam_policy_document"):
                for index, statement in enumerate(document.get("statement", [])):
                    if not mention.search(str(statement.get("resources", ""))):
                        continue
                    actions = [unquote(str(a)) for a in statement.get("actions", [])] if isinstance(statement.get("actions"), list) else ["*"]
                    if any(fnmatchcase("secretsmanager:getsecretvalue", a.lower()) for a in actions):
                        problems.append(f"{name} statement {unquote(str(statement.get('sid', index)))} may read var.{variable}")
        self.check(not problems, what, "; ".join(problems))

    def alarms_have_actions(self, folders: dict[Path, Folder]) -> None:
        alarms = [(self.rel(folder.path), name, body) for folder in folders.values()
                  for name, body in folder.blocks_of("resource", "aws_cloudwatch_metric_alarm")]
        silent = [f"{where}: {name}" for where, name, body in alarms
                  if body.get("alarm_actions") in (None, [], "${[]}")]
        self.check(alarms and not silent, f"design: every aws_cloudwatch_metric_alarm has alarm_actions ({len(alarms)} resource blocks)",
                   "no alarms at all" if not alarms else "without: " + ", ".join(silent))

    def health_checks(self, folders: dict[Path, Folder]) -> None:
        groups = [(name, body) for folder in folders.values()
                  for name, body in folder.blocks_of("resource", "aws_lb_target_group")]
        paths = {name: [unquote(str(check.get("path", ""))) for check in body.get("health_check", [])] for name, body in groups}
        wrong = [f"{name}: {path or 'no health_check'}" for name, path in paths.items() if path != ["/healthz"]]
        self.check(groups and not wrong, f"design: every target group checks /healthz ({len(groups)} found)",
                   "no target group" if not groups else "; ".join(wrong))

    def metrics_not_served(self, folders: dict[Path, Folder]) -> None:
        def answers_404(body: dict) -> bool:
            patterns = [unquote(str(v)) for condition in body.get("condition", [])
                        for pattern in condition.get("path_pattern", []) for v in pattern.get("values", [])]
            statuses = [unquote(str(fixed.get("status_code", ""))) for action in body.get("action", [])
                        if unquote(str(action.get("type", ""))) == "fixed-response"
                        for fixed in action.get("fixed_response", [])]
            return "/metrics" in patterns and "404" in statuses
        rules = [name for folder in folders.values()
                 for name, body in folder.blocks_of("resource", "aws_lb_listener_rule") if answers_404(body)]
        self.check(bool(rules), "design: a listener rule answers /metrics with a fixed 404",
                   "no aws_lb_listener_rule with path_pattern /metrics and a fixed-response 404")

    def raw_object_lock(self, root: Folder, lake: Folder, bucket: Folder) -> None:
        """Raw's lock days come, unchanged, from a root variable whose
        default locks (>= 1 day) and which is validated; the lake passes
        them to the bucket module, which locks in governance or compliance
        mode."""
        what = "design: the raw bucket has S3 Object Lock"
        problems = []
        days = lake.local_values.get("object_lock_days")
        raw = re.fullmatch(r"\$\{var\.([\w-]+)\}", str(days.get("raw"))) if isinstance(days, dict) else None
        passed = re.fullmatch(r"\$\{var\.([\w-]+)\}", str(root.modules.get("lake", {}).get(raw.group(1), ""))) if raw else None
        variable = root.variables.get(passed.group(1), {}) if passed else {}
        default = variable.get("default")
        if raw is None:
            problems.append("modules/lake: local.object_lock_days.raw is not a variable of the lake")
        elif passed is None:
            problems.append(f"the root does not pass var.X to module lake's {raw.group(1)}")
        elif not (isinstance(default, (int, float)) and default >= 1 and variable.get("validation")):
            problems.append(f"root variable {passed.group(1)}: default {default!r} is not >= 1 days, or it has no validation")
        layer = lake.modules.get("layer", {})
        if "object_lock_days" not in layer:
            problems.append("modules/lake: module layer is not given object_lock_days")
        locks = list(bucket.blocks_of("resource", "aws_s3_bucket_object_lock_configuration"))
        modes = [unquote(str(retention.get("mode", ""))) for _, body in locks for rule in body.get("rule", [])
                 for retention in rule.get("default_retention", [])]
        if not locks or not modes or not set(modes) <= {"GOVERNANCE", "COMPLIANCE"}:
            problems.append("modules/s3-bucket: no aws_s3_bucket_object_lock_configuration with a default retention")
        self.check(not problems, what, "; ".join(problems))

    def waf_redacts_query_string(self, folders: dict[Path, Folder]) -> None:
        configurations = [(name, body) for folder in folders.values()
                          for name, body in folder.blocks_of("resource", "aws_wafv2_web_acl_logging_configuration")]
        keeping = [name for name, body in configurations
                   if not any("query_string" in field for field in body.get("redacted_fields", []))]
        self.check(configurations and not keeping,
                   f"design: WAF logs redact the query string (embed tokens) ({len(configurations)} found)",
                   "no WAF logging configuration" if not configurations else "not redacted in: " + ", ".join(keeping))

    def budget_to_topic(self, folders: dict[Path, Folder]) -> None:
        budgets = [(name, body) for folder in folders.values()
                   for name, body in folder.blocks_of("resource", "aws_budgets_budget")]
        bare = [f"{name} notification {index}" for name, body in budgets
                for index, notification in enumerate(body.get("notification", []))
                if not notification.get("subscriber_sns_topic_arns")]
        self.check(budgets and not bare, f"design: every budget notification goes to the SNS topic ({len(budgets)} budgets)",
                   "no budget" if not budgets else "; ".join(bare))

    def event_source(self, ingest: Folder) -> None:
        """The ingest's rules match the events the web puts: the server's
        EVENT_SOURCE when its source is in this tree, else the documented
        sentinela.web."""
        trigger = self.root.parent / "server" / "src" / "trigger.rs"
        expected = "sentinela.web"
        if trigger.exists():
            found = re.search(r'pub const EVENT_SOURCE: &str = "([^"]+)"', trigger.read_text(encoding="utf-8"))
            expected = found.group(1) if found else "EVENT_SOURCE not found in server/src/trigger.rs"
        source = unquote(str(ingest.local_values.get("event_source", "")))
        rules = list(ingest.blocks_of("resource", "aws_cloudwatch_event_rule"))
        patterns_use_it = all("local.event_source" in str(body.get("event_pattern", "")) for _, body in rules)
        self.check(source == expected and rules and patterns_use_it,
                   f"design: the ingest's event rules match source {expected} ({len(rules)} resource blocks)",
                   f"local.event_source is {source!r}, or a rule's event_pattern does not use it")

    # ------------------------------------------------------------ lake tables

    def lake_tables(self) -> None:
        path = self.root / "lake_tables.json"
        where = self.rel(path)
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            self.check(False, f"parse {where}", str(error))
            return
        tables = document.get("tables") if isinstance(document, dict) else None
        if not self.check(isinstance(tables, list) and len(tables) > 0,
                          f"parse {where}", "expected an object with a non-empty tables list"):
            return
        seen: set[tuple[str, str]] = set()
        for index, table in enumerate(tables):
            label = f"{where}: table {table.get('layer', '?')}.{table.get('name', '#' + str(index))}"
            self.check(not self.table_problems(table, seen), label, "; ".join(self.table_problems(table, set(seen))))
            seen.add((table.get("layer"), table.get("name")))

    def table_problems(self, table: dict, seen: set) -> list[str]:
        problems = []
        allowed = {"layer", "name", "prefix", "description", "columns", "partition_keys"}
        if not isinstance(table, dict):
            return ["not an object"]
        extra = sorted(set(table) - allowed)
        if extra:
            problems.append(f"unknown keys {extra}")
        layer, name = table.get("layer"), table.get("name")
        if layer not in LAYERS:
            problems.append(f"layer {layer!r} is not one of {sorted(LAYERS)}")
        if not isinstance(name, str) or not SNAKE_CASE.match(name):
            problems.append(f"name {name!r} is not snake_case")
        if (layer, name) in seen:
            problems.append("duplicate layer and name")
        if table.get("prefix") != f"{name}/":
            problems.append(f"prefix {table.get('prefix')!r} is not '{name}/'")
        if not isinstance(table.get("description"), str) or not table["description"].strip():
            problems.append("empty description")
        columns = table.get("columns")
        keys = table.get("partition_keys")
        if not isinstance(columns, list) or not columns:
            problems.append("no columns")
            columns = []
        if not isinstance(keys, list):
            problems.append("partition_keys is not a list")
            keys = []
        names = []
        for kind, items in (("column", columns), ("partition key", keys)):
            for item in items:
                problems += self.column_problems(kind, item, projection=(kind == "partition key"))
                if isinstance(item, dict):
                    names.append(item.get("name"))
        duplicated = sorted({n for n in names if names.count(n) > 1 and isinstance(n, str)})
        if duplicated:
            problems.append(f"names repeated among columns and partition keys: {duplicated}")
        return problems

    def column_problems(self, kind: str, column, projection: bool) -> list[str]:
        if not isinstance(column, dict):
            return [f"{kind} {column!r} is not an object"]
        problems = []
        name, glue_type = column.get("name"), column.get("type")
        allowed = {"name", "type", "comment"} | ({"projection"} if projection else set())
        extra = sorted(set(column) - allowed)
        if extra:
            problems.append(f"{kind} {name}: unknown keys {extra}")
        if not isinstance(name, str) or not SNAKE_CASE.match(name):
            problems.append(f"{kind} {name!r} is not snake_case")
        if not isinstance(glue_type, str) or not (glue_type in GLUE_PRIMITIVES or GLUE_PARAMETERISED.match(glue_type)):
            problems.append(f"{kind} {name}: type {glue_type!r} is not an allowed Glue type")
        comment = column.get("comment")
        if not isinstance(comment, str) or not comment.strip() or len(comment) > GLUE_COMMENT_MAX:
            problems.append(f"{kind} {name}: comment missing or longer than {GLUE_COMMENT_MAX}")
        if projection:
            spec = column.get("projection")
            if not isinstance(spec, dict) or spec.get("type") not in PROJECTION_TYPES:
                problems.append(f"{kind} {name}: projection.type must be one of {sorted(PROJECTION_TYPES)}")
            elif not all(isinstance(v, str) for v in spec.values()):
                problems.append(f"{kind} {name}: projection values must be strings")
            elif spec["type"] == "date" and not {"format", "range"} <= spec.keys():
                problems.append(f"{kind} {name}: a date projection needs format and range")
        return problems


def run(root: Path) -> Checks:
    """Every check of the Terraform folder `root`, printed one per line."""
    checks = Checks(root.resolve())
    folders = checks.parse()
    checks.structure(folders)
    checks.modules(folders)
    checks.references(folders)
    checks.hygiene(folders)
    checks.tfvars(folders)
    checks.design(folders)
    checks.lake_tables()
    return checks


def main() -> int:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
    checks = run(root)
    print(f"terraform checks: {checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
