#!/usr/bin/env python3
"""Run a dbt project's models and tests on PostgreSQL without dbt (CI for integrations/dbt).

dbt cannot be installed on the CI machines, so this renders each model's Jinja with a minimal
dbt-like context -- ref(), source(), config(), var() and nothing else -- using jinja2 (Debian's
python3-jinja2) and PyYAML (python3-yaml), creates the models in dependency order (from their
ref() calls) as tables or views in one target schema, then runs the SQL of every test in the
yml files (dbt's built-in not_null, unique, accepted_values, relationships, generated the way
dbt generates them: a query returning the failing rows) and every singular test of the test
paths. It talks to the database with psql (PGHOST, PGPORT, PGDATABASE, ... from the
environment). One line per model and per test, a summary; exit status 1 on any failure.

    render_and_run.py PROJECT_DIR [--target-schema dbt_ci] [--vars '{payment_year: 2026}']
                                  [--compile-only OUTDIR]

Anything else a dbt project may use (macros, packages, adapters, is_incremental(), this,
target, ephemeral or incremental models, seeds, snapshots, test configs such as severity or
where) is not implemented and is an error here, never silently ignored.
"""
import argparse
import os
import re
import subprocess
import sys

import jinja2
import yaml

MISSING = object()
SUPPORTED_MATERIALIZATIONS = ("table", "view")
BUILTIN_TESTS = ("not_null", "unique", "accepted_values", "relationships")


class ProjectError(Exception):
    pass


def ident(name):
    """A lower-case identifier as is; anything else double-quoted (as dbt-postgres quotes)."""
    if re.fullmatch(r"[a-z_][a-z0-9_$]*", name):
        return name
    return '"' + name.replace('"', '""') + '"'


class Project:
    def __init__(self, root, target_schema, cli_vars):
        self.root = os.path.abspath(root)
        with open(os.path.join(self.root, "dbt_project.yml")) as f:
            self.cfg = yaml.safe_load(f) or {}
        self.name = self.cfg.get("name")
        if not self.name:
            raise ProjectError("dbt_project.yml: no name")
        self.target_schema = target_schema
        self.vars = dict(self.cfg.get("vars") or {})
        self.vars.update(cli_vars)
        models_cfg = (self.cfg.get("models") or {}).get(self.name) or {}
        self.default_materialized = models_cfg.get("+materialized", models_cfg.get("materialized", "view"))
        self.model_paths = [os.path.join(self.root, p) for p in self.cfg.get("model-paths", ["models"])]
        self.test_paths = [os.path.join(self.root, p) for p in self.cfg.get("test-paths", ["tests"])]
        self.models = {}      # name -> path
        self.sources = {}     # (source, table) -> relation
        self.yml_tests = []   # (name, kind, target, column, args)
        self.env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
        self._scan()

    # -- discovery ------------------------------------------------------------------------
    def _walk(self, paths, ext):
        for base in paths:
            for d, _, files in sorted(os.walk(base)):
                for f in sorted(files):
                    if f.endswith(ext):
                        yield os.path.join(d, f)

    def _scan(self):
        for path in self._walk(self.model_paths, ".sql"):
            name = os.path.basename(path)[:-4]
            if name in self.models:
                raise ProjectError(f"two models named {name}: {self.models[name]} and {path}")
            self.models[name] = path
        ymls = list(self._walk(self.model_paths, ".yml")) + list(self._walk(self.model_paths, ".yaml"))
        docs = []
        for path in ymls:
            with open(path) as f:
                docs.append((path, yaml.safe_load(f) or {}))
        for path, doc in docs:
            for src in doc.get("sources") or []:
                schema = src.get("schema", src["name"])
                for t in src.get("tables") or []:
                    rel = ident(schema) + "." + ident(t.get("identifier", t["name"]))
                    self.sources[(src["name"], t["name"])] = rel
        for path, doc in docs:
            for src in doc.get("sources") or []:
                for t in src.get("tables") or []:
                    target = ("source", src["name"], t["name"])
                    self._collect_tests(path, target, t)
            for m in doc.get("models") or []:
                if m["name"] not in self.models:
                    raise ProjectError(f"{path}: model {m['name']} has no .sql file")
                self._collect_tests(path, ("ref", m["name"]), m)

    def _collect_tests(self, path, target, node):
        def add(test, column):
            if isinstance(test, str):
                kind, args = test, {}
            elif isinstance(test, dict) and len(test) == 1:
                kind, args = next(iter(test.items()))
                args = dict(args or {})
                if "arguments" in args:            # dbt >= 1.10 form
                    args.update(args.pop("arguments") or {})
            else:
                raise ProjectError(f"{path}: cannot read test {test!r}")
            if "config" in args:
                raise ProjectError(f"{path}: test configs (severity, where, ...) are not supported by this CI")
            if kind not in BUILTIN_TESTS:
                raise ProjectError(f"{path}: generic test {kind!r} is not supported by this CI "
                                   f"(only {', '.join(BUILTIN_TESTS)}; write a singular test instead)")
            col = args.pop("column_name", column)
            if col is None:
                raise ProjectError(f"{path}: test {kind} on {target[-1]} needs a column_name")
            tname = "_".join([kind] + list(target[1:]) + [re.sub(r"\W+", "_", col).strip("_")])
            if kind == "accepted_values":
                tname += "__" + "__".join(re.sub(r"\W+", "_", str(v)) for v in args.get("values", []))
            self.yml_tests.append((tname, kind, target, col, args))

        for t in node.get("data_tests") or node.get("tests") or []:
            add(t, None)
        for c in node.get("columns") or []:
            for t in c.get("data_tests") or c.get("tests") or []:
                add(t, c["name"])

    # -- rendering ------------------------------------------------------------------------
    def relation(self, model):
        return ident(self.target_schema) + "." + ident(model)

    def render(self, path_or_text, is_text=False, where="?"):
        """Render; return (sql, refs, config)."""
        refs, config = [], {}

        def ref(*args, **kwargs):
            if kwargs or len(args) not in (1, 2):
                raise ProjectError(f"{where}: ref{args!r}: give a model name (or project, model)")
            if len(args) == 2 and args[0] != self.name:
                raise ProjectError(f"{where}: ref to package {args[0]!r}: packages are not supported")
            model = args[-1]
            if model not in self.models:
                raise ProjectError(f"{where}: ref({model!r}): no such model")
            refs.append(model)
            return self.relation(model)

        def source(source_name, table_name):
            rel = self.sources.get((source_name, table_name))
            if rel is None:
                raise ProjectError(f"{where}: source({source_name!r}, {table_name!r}) is not declared in a sources yml")
            return rel

        def var(name, default=MISSING):
            if name in self.vars:
                return self.vars[name]
            if default is MISSING:
                raise ProjectError(f"{where}: required var {name!r} is not defined (dbt_project.yml vars, --vars)")
            return default

        def config_fn(**kwargs):
            for k, v in kwargs.items():
                if k == "materialized":
                    if v not in SUPPORTED_MATERIALIZATIONS:
                        raise ProjectError(f"{where}: materialized={v!r} is not supported by this CI "
                                           f"(only {', '.join(SUPPORTED_MATERIALIZATIONS)})")
                elif k not in ("tags", "docs", "meta"):
                    raise ProjectError(f"{where}: config {k}= is not supported by this CI")
                config[k] = v
            return ""

        if is_text:
            text = path_or_text
        else:
            with open(path_or_text) as f:
                text = f.read()
        ctx = {"ref": ref, "source": source, "var": var, "config": config_fn}
        try:
            sql = self.env.from_string(text).render(ctx)
        except jinja2.TemplateError as e:
            raise ProjectError(f"{where}: Jinja: {e.__class__.__name__}: {e}")
        return sql, refs, config

    def compile_models(self):
        compiled = {}
        for name, path in self.models.items():
            sql, refs, config = self.render(path, where=os.path.relpath(path, self.root))
            body = sql.strip()
            if body.endswith(";"):
                raise ProjectError(f"model {name}: ends with ';' (dbt wraps the SELECT in CREATE ... AS (...))")
            compiled[name] = {"sql": sql, "refs": refs,
                              "materialized": config.get("materialized", self.default_materialized)}
        return compiled

    @staticmethod
    def order(compiled):
        """Topological order from ref() calls (alphabetical among ready models); cycles are errors."""
        done, order, visiting = set(), [], []

        def visit(n):
            if n in done:
                return
            if n in visiting:
                cycle = visiting[visiting.index(n):] + [n]
                raise ProjectError("dependency cycle: " + " -> ".join(cycle))
            visiting.append(n)
            for d in sorted(set(compiled[n]["refs"])):
                visit(d)
            visiting.pop()
            done.add(n)
            order.append(n)

        for n in sorted(compiled):
            visit(n)
        return order

    def test_sql(self, kind, target, col, args, where):
        model = self.relation(target[1]) if target[0] == "ref" else self.sources[(target[1], target[2])]
        if kind == "not_null":
            return f"select {col}\nfrom {model}\nwhere {col} is null\n"
        if kind == "unique":
            return (f"select\n    {col} as unique_field,\n    count(*) as n_records\n\nfrom {model}\n"
                    f"where {col} is not null\ngroup by {col}\nhaving count(*) > 1\n")
        if kind == "accepted_values":
            values = args.get("values")
            if not values:
                raise ProjectError(f"{where}: accepted_values needs values")
            quote = args.get("quote", True)

            def lit(v):
                if not quote:
                    return str(v).lower() if isinstance(v, bool) else str(v)
                return "'" + str(v).replace("'", "''") + "'"
            return (f"with all_values as (\n    select\n        {col} as value_field,\n        count(*) as n_records\n"
                    f"    from {model}\n    group by {col}\n)\n\nselect *\nfrom all_values\nwhere value_field not in (\n    "
                    + ",".join(lit(v) for v in values) + "\n)\n")
        if kind == "relationships":
            to, field = args.get("to"), args.get("field")
            if not to or not field:
                raise ProjectError(f"{where}: relationships needs to and field")
            to_rel, _, _ = self.render("{{ " + to + " }}", is_text=True, where=where)
            return (f"with child as (\n    select {col} as from_field\n    from {model}\n    where {col} is not null\n),\n\n"
                    f"parent as (\n    select {field} as to_field\n    from {to_rel}\n)\n\n"
                    "select\n    from_field\n\nfrom child\nleft join parent\n    on child.from_field = parent.to_field\n\n"
                    "where parent.to_field is null\n")
        raise ProjectError(f"{where}: unsupported test {kind}")


def psql(sql, tuples=False):
    cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1"]
    if tuples:
        cmd += ["-A", "-t", "-F", " | "]
    p = subprocess.run(cmd, input=sql, capture_output=True, text=True)
    errors = "\n".join(l for l in p.stderr.splitlines() if not re.match(r"^(psql:<stdin>:\d+: )?NOTICE:", l))
    return p.returncode, p.stdout, errors.strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("project")
    ap.add_argument("--target-schema", default="dbt_ci")
    ap.add_argument("--vars", default="{}", help="YAML mapping overriding dbt_project.yml vars, as dbt --vars")
    ap.add_argument("--compile-only", metavar="OUTDIR", help="write the rendered SQL, run nothing")
    a = ap.parse_args()

    results = {"model_ok": 0, "model_error": 0, "model_skip": 0, "test_pass": 0, "test_fail": 0,
               "test_error": 0, "test_skip": 0}
    try:
        cli_vars = yaml.safe_load(a.vars) or {}
        if not isinstance(cli_vars, dict):
            raise ProjectError("--vars must be a YAML mapping")
        proj = Project(a.project, a.target_schema, cli_vars)
        compiled = proj.compile_models()
        order = proj.order(compiled)
        singular = []
        for path in proj._walk(proj.test_paths, ".sql"):
            name = os.path.basename(path)[:-4]
            sql, refs, _ = proj.render(path, where=os.path.relpath(path, proj.root))
            if sql.strip().endswith(";"):
                raise ProjectError(f"test {name}: ends with ';'")
            singular.append((name, sql, set(refs)))
        yml_tests = []
        for tname, kind, target, col, args in proj.yml_tests:
            sql = proj.test_sql(kind, target, col, args, where=tname)
            deps = {target[1]} if target[0] == "ref" else set()
            if kind == "relationships":
                _, r, _ = proj.render("{{ " + args["to"] + " }}", is_text=True, where=tname)
                deps |= set(r)
            yml_tests.append((tname, sql, deps))
    except (ProjectError, OSError, yaml.YAMLError, KeyError) as e:
        print(f"dbt-ci: project error: {e}")
        return 1

    print(f"dbt-ci: project {proj.name}, {len(order)} models, {len(yml_tests) + len(singular)} tests, "
          f"vars {proj.vars}, target schema {proj.target_schema}")
    print("dbt-ci: order: " + " -> ".join(order))

    if a.compile_only:
        for sub, items in (("models", [(n, compiled[n]["sql"]) for n in order]),
                           ("tests", [(n, s) for n, s, _ in yml_tests + singular])):
            os.makedirs(os.path.join(a.compile_only, sub), exist_ok=True)
            for n, s in items:
                with open(os.path.join(a.compile_only, sub, n + ".sql"), "w") as f:
                    f.write(s)
        print(f"dbt-ci: compiled SQL written to {a.compile_only}")
        return 0

    schema = ident(proj.target_schema)
    rc, _, err = psql(f"SET client_min_messages = warning;\nDROP SCHEMA IF EXISTS {schema} CASCADE;\nCREATE SCHEMA {schema};\n")
    if rc != 0:
        print(f"dbt-ci: cannot create schema {schema}: {err}")
        return 1

    failed_models = set()
    for i, name in enumerate(order, 1):
        m = compiled[name]
        rel = proj.relation(name)
        bad = sorted(set(m["refs"]) & failed_models)
        label = f"{i:2d} of {len(order)} model {name} ({m['materialized']})"
        if bad:
            failed_models.add(name)
            results["model_skip"] += 1
            print(f"{label:.<66} SKIP (upstream failed: {', '.join(bad)})")
            continue
        kind = "TABLE" if m["materialized"] == "table" else "VIEW"
        sql = f"BEGIN;\nCREATE {kind} {rel} AS (\n{m['sql'].rstrip()}\n);\nCOMMIT;\n"
        rc, _, err = psql(sql)
        if rc != 0:
            failed_models.add(name)
            results["model_error"] += 1
            print(f"{label:.<66} ERROR")
            for line in err.splitlines():
                print(f"      {line}")
            continue
        rc, out, err = psql(f"SELECT count(*) FROM {rel};\n", tuples=True)
        if rc != 0:
            failed_models.add(name)
            results["model_error"] += 1
            print(f"{label:.<66} ERROR (select from it)")
            for line in err.splitlines():
                print(f"      {line}")
            continue
        results["model_ok"] += 1
        print(f"{label:.<66} OK ({out.strip()} rows)")

    all_tests = yml_tests + singular
    for i, (name, sql, deps) in enumerate(all_tests, 1):
        label = f"{i:2d} of {len(all_tests)} test {name}"
        bad = sorted(deps & failed_models)
        if bad:
            results["test_skip"] += 1
            print(f"{label:.<90} SKIP (model failed: {', '.join(bad)})")
            continue
        rc, out, err = psql(f"SELECT count(*) FROM (\n{sql.rstrip()}\n) dbt_internal_test;\n", tuples=True)
        if rc != 0:
            results["test_error"] += 1
            print(f"{label:.<90} ERROR")
            for line in err.splitlines():
                print(f"      {line}")
            continue
        n = int(out.strip())
        if n == 0:
            results["test_pass"] += 1
            print(f"{label:.<90} PASS")
        else:
            results["test_fail"] += 1
            print(f"{label:.<90} FAIL {n}")
            _, rows, _ = psql(f"SELECT * FROM (\n{sql.rstrip()}\n) dbt_internal_test LIMIT 5;\n", tuples=True)
            for line in rows.splitlines():
                print(f"      failing row: {line}")

    r = results
    failures = r["model_error"] + r["model_skip"] + r["test_fail"] + r["test_error"] + r["test_skip"]
    print(f"dbt-ci: models: {r['model_ok']} ok, {r['model_error']} error, {r['model_skip']} skipped; "
          f"tests: {r['test_pass']} passed, {r['test_fail']} failed, {r['test_error']} error, "
          f"{r['test_skip']} skipped")
    print("dbt-ci: " + ("FAILED" if failures else "all models built and all tests passed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
