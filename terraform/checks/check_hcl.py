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
  columns, Athena projection of partition keys).

Prints one line per check and, last, `terraform checks: N passed, M failed`;
exits 1 on any failure.

Usage: check_hcl.py [TERRAFORM_DIR]   (default: the folder above this file)
"""

from __future__ import annotations

import json
import re
import sys
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


def main() -> int:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
    root = root.resolve()
    checks = Checks(root)
    folders = checks.parse()
    checks.structure(folders)
    checks.modules(folders)
    checks.references(folders)
    checks.hygiene(folders)
    checks.tfvars(folders)
    checks.lake_tables()
    print(f"terraform checks: {checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
