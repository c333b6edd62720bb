#!/usr/bin/env python3
"""Runs every lesson of static/lessons/ with the statebox CLI and applies its check.

For each lesson (in index.json order) the solution must pass its check and the starting
workflow must not. Both must be valid definitions. Usage:

    python3 tests/lessons/check_lessons.py [LESSON_ID ...]

STATEBOX_BIN names the CLI binary (default /tmp/statebox-bin, else `statebox` on PATH);
STATEBOX_LESSONS the lessons folder (default static/lessons).
Prints one line per lesson, then a summary; exits 1 on any failure.

How a check is applied (see static/lessons/README.md for the semantics):
- status/output/error/cause and visited: from one run with --history.
- items: the CLI cannot print the tables after a run, so the workflow is run a second time
  wrapped as the only branch of a Parallel state whose Catch (States.ALL) and Next both go
  to an appended aws-sdk:dynamodb:batchGetItem state reading every expected item's key
  (ConsistentRead). That run's output is the tables' final contents for those keys.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LESSONS = Path(os.environ.get("STATEBOX_LESSONS", ROOT / "static" / "lessons"))
CHECK_KEYS = {"status", "output", "match", "error", "cause", "items", "visited"}
LESSON_KEYS = {"id", "title", "order", "testCase", "check"}


def binary():
    env = os.environ.get("STATEBOX_BIN")
    if env:
        return env
    if Path("/tmp/statebox-bin").exists():
        return "/tmp/statebox-bin"
    return shutil.which("statebox") or "statebox"


BIN = binary()


class LessonError(Exception):
    """The lesson's files are malformed (not a check failure)."""


# ---------------------------------------------------------------- running

def run(definition_text, lesson, tmp, history=False):
    """Runs a definition text with the lesson's input, seed and mocks; returns the parsed result."""
    path = Path(tmp) / "definition.json"
    path.write_text(definition_text)
    cmd = [BIN, "run", "--definition", str(path), "--input", "@" + str(lesson["dir"] / "input.json"),
           "--tables", str(lesson["dir"] / "seed.json")]
    if lesson.get("mocks"):
        cmd += ["--mock-config", str(lesson["dir"] / "mocks.json"), "--test-case", lesson["testCase"]]
    if history:
        cmd.append("--history")
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if proc.returncode not in (0, 1):
        raise LessonError(f"statebox run exited {proc.returncode}: {proc.stderr.strip() or proc.stdout.strip()}")
    return json.loads(proc.stdout)


def validate(path):
    proc = subprocess.run([BIN, "validate", str(path)], capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        raise LessonError(f"{path.name} is not valid: {(proc.stdout + proc.stderr).strip()}")


def visited_states(history):
    return {e["stateEnteredEventDetails"]["name"] for e in history
            if e["type"].endswith("StateEntered") and "stateEnteredEventDetails" in e}


def key_of(item, key_schema, table):
    key = {}
    for k in key_schema:
        name = k["AttributeName"]
        if name not in item:
            raise LessonError(f"expected item in {table} lacks key attribute {name}: {json.dumps(item)}")
        key[name] = item[name]
    return key


def wrapped_for_items(definition_text, items, key_schemas):
    """The definition as one Parallel branch, then a batchGetItem of the expected items' keys."""
    machine = json.loads(definition_text)
    jsonata = machine.get("QueryLanguage") == "JSONata"
    branch = {"StartAt": machine["StartAt"], "States": machine["States"]}
    request = {}
    for table, expected in items.items():
        keys, seen = [], set()
        for item in expected:
            key = key_of(item, key_schemas[table], table)
            text = json.dumps(key, sort_keys=True)
            if text not in seen:
                seen.add(text)
                keys.append(key)
        request[table] = {"Keys": keys, "ConsistentRead": True}
    read = {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:batchGetItem",
            ("Arguments" if jsonata else "Parameters"): {"RequestItems": request}, "End": True}
    wrapper = {"StartAt": "LessonWorkflow__", "States": {
        "LessonWorkflow__": {"Type": "Parallel", "Branches": [branch], "Next": "ReadItems__",
                             "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "ReadItems__"}]},
        "ReadItems__": read}}
    if jsonata:
        wrapper["QueryLanguage"] = "JSONata"
    return json.dumps(wrapper)


# ---------------------------------------------------------------- comparing

def same_json(expected, actual, subset, path="$"):
    """Differences between JSON values: exact, or (subset) objects may hold more keys."""
    if isinstance(expected, bool) or isinstance(actual, bool) or expected is None or actual is None:
        return [] if type(expected) is type(actual) and expected == actual else [f"{path}: expected {json.dumps(expected)}, got {json.dumps(actual)}"]
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return [] if Decimal(str(expected)) == Decimal(str(actual)) else [f"{path}: expected {expected}, got {actual}"]
    if isinstance(expected, dict) and isinstance(actual, dict):
        diffs = []
        for k, v in expected.items():
            if k not in actual:
                diffs.append(f"{path}.{k}: missing (expected {json.dumps(v)})")
            else:
                diffs += same_json(v, actual[k], subset, f"{path}.{k}")
        if not subset:
            diffs += [f"{path}.{k}: unexpected (got {json.dumps(actual[k])})" for k in actual if k not in expected]
        return diffs
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{path}: expected {len(expected)} elements, got {len(actual)}: {json.dumps(actual)}"]
        diffs = []
        for i, (e, a) in enumerate(zip(expected, actual)):
            diffs += same_json(e, a, subset, f"{path}[{i}]")
        return diffs
    if type(expected) is type(actual) and expected == actual:
        return []
    return [f"{path}: expected {json.dumps(expected)}, got {json.dumps(actual)}"]


def number(text):
    try:
        return Decimal(text)
    except InvalidOperation:
        return text


def same_attribute(expected, actual):
    """DynamoDB JSON attribute values: same type; N by value; sets in any order."""
    if not (isinstance(expected, dict) and isinstance(actual, dict) and len(expected) == 1 and len(actual) == 1):
        return expected == actual
    (et, ev), (at, av) = next(iter(expected.items())), next(iter(actual.items()))
    if et != at:
        return False
    if et == "N":
        return number(ev) == number(av)
    if et == "NS":
        return sorted(map(number, ev)) == sorted(map(number, av))
    if et in ("SS", "BS"):
        return sorted(ev) == sorted(av)
    if et == "L":
        return len(ev) == len(av) and all(same_attribute(e, a) for e, a in zip(ev, av))
    if et == "M":
        return ev.keys() == av.keys() and all(same_attribute(ev[k], av[k]) for k in ev)
    return ev == av


# ---------------------------------------------------------------- one lesson

def evaluate(definition_text, lesson, tmp):
    """The check's differences for one definition (empty when it passes)."""
    result = run(definition_text, lesson, tmp, history=True)
    history = result.get("history", [])
    entered = visited_states(history)
    diffs = []
    for i, check in enumerate(lesson["check"]):
        where = f"check[{i}]"
        if "status" in check and result["status"] != check["status"]:
            extra = f" ({result.get('error')}: {result.get('cause')})" if "error" in result else ""
            diffs.append(f"{where} status: expected {check['status']}, got {result['status']}{extra}")
        for field in ("error", "cause"):
            if field in check and result.get(field) != check[field]:
                diffs.append(f"{where} {field}: expected {json.dumps(check[field])}, got {json.dumps(result.get(field))}")
        if "output" in check:
            if "output" not in result:
                diffs.append(f"{where} output: the run has no output (status {result['status']})")
            else:
                subset = check.get("match", "exact") == "subset"
                diffs += [f"{where} output {d}" for d in same_json(check["output"], result["output"], subset)]
        if "visited" in check:
            missing = [s for s in check["visited"] if s not in entered]
            if missing:
                diffs.append(f"{where} visited: never entered {', '.join(missing)}")
        if "items" in check:
            wrapped = run(wrapped_for_items(definition_text, check["items"], lesson["keys"]), lesson, tmp)
            if wrapped["status"] != "SUCCEEDED":
                diffs.append(f"{where} items: could not read the tables back: {wrapped.get('error')}: {wrapped.get('cause')}")
                continue
            responses = wrapped["output"]["Responses"]
            for table, expected in check["items"].items():
                stored = responses.get(table, [])
                for item in expected:
                    key = key_of(item, lesson["keys"][table], table)
                    found = [s for s in stored if all(same_attribute(v, s.get(k)) for k, v in key.items())]
                    if not found:
                        diffs.append(f"{where} items: {table} has no item {json.dumps(key)}")
                        continue
                    for name, value in item.items():
                        if name not in found[0]:
                            diffs.append(f"{where} items: {table} {json.dumps(key)} lacks {name} (expected {json.dumps(value)})")
                        elif not same_attribute(value, found[0][name]):
                            diffs.append(f"{where} items: {table} {json.dumps(key)} {name}: expected {json.dumps(value)}, got {json.dumps(found[0][name])}")
    return diffs


def load(lesson_id, position):
    folder = LESSONS / lesson_id
    meta = json.loads((folder / "lesson.json").read_text())
    unknown = set(meta) - LESSON_KEYS
    if unknown:
        raise LessonError(f"lesson.json: unknown fields {sorted(unknown)}")
    if meta.get("id") != lesson_id:
        raise LessonError(f"lesson.json id {meta.get('id')!r} differs from its folder {lesson_id!r}")
    if meta.get("order") != position:
        raise LessonError(f"lesson.json order {meta.get('order')} but index.json puts it at {position}")
    if not isinstance(meta.get("title"), str) or not meta["title"]:
        raise LessonError("lesson.json: missing title")
    for name in ("text.md", "definition.json", "solution.json", "input.json", "seed.json"):
        if not (folder / name).is_file():
            raise LessonError(f"missing {name}")
    json.loads((folder / "input.json").read_text())
    checks = meta.get("check")
    if not isinstance(checks, list) or not checks:
        raise LessonError("lesson.json: check must be a non-empty array")
    for c in checks:
        if not isinstance(c, dict) or not c or set(c) - CHECK_KEYS:
            raise LessonError(f"lesson.json: bad check {json.dumps(c)}")
        if "match" in c and c["match"] not in ("exact", "subset"):
            raise LessonError(f"lesson.json: match must be exact or subset: {json.dumps(c)}")
    seed = json.loads((folder / "seed.json").read_text())
    keys = {t["TableName"]: t["KeySchema"] for t in seed.get("tables", [])}
    for c in checks:
        for table in c.get("items", {}):
            if table not in keys:
                raise LessonError(f"check names table {table}, which seed.json does not create")
    mocks = (folder / "mocks.json").is_file()
    if mocks != ("testCase" in meta):
        raise LessonError("mocks.json and lesson.json's testCase go together")
    if mocks:
        config = json.loads((folder / "mocks.json").read_text())
        cases = {c for m in config.get("StateMachines", {}).values() for c in m.get("TestCases", {})}
        if meta["testCase"] not in cases:
            raise LessonError(f"mocks.json has no test case {meta['testCase']}")
    return dict(meta, dir=folder, keys=keys, mocks=mocks)


def check_lesson(lesson_id, position):
    lesson = load(lesson_id, position)
    for name in ("definition.json", "solution.json"):
        validate(lesson["dir"] / name)
    with tempfile.TemporaryDirectory() as tmp:
        solution = evaluate((lesson["dir"] / "solution.json").read_text(), lesson, tmp)
        start = evaluate((lesson["dir"] / "definition.json").read_text(), lesson, tmp)
    return lesson, solution, start


def main(argv):
    index = json.loads((LESSONS / "index.json").read_text())
    ids = index["lessons"]
    folders = sorted(p.name for p in LESSONS.iterdir() if p.is_dir())
    problems = []
    strays = sorted(set(folders) - set(ids))
    if strays:
        problems.append(f"folders not in index.json: {', '.join(strays)}")
    if len(set(ids)) != len(ids):
        problems.append("index.json lists an id twice")
    wanted = argv or ids
    passed = failed = 0
    for lesson_id in wanted:
        if lesson_id not in ids:
            print(f"FAIL {lesson_id}: not in index.json")
            failed += 1
            continue
        position = ids.index(lesson_id) + 1
        try:
            lesson, solution, start = check_lesson(lesson_id, position)
        except (LessonError, json.JSONDecodeError, KeyError, OSError, subprocess.TimeoutExpired) as e:
            print(f"FAIL {position:2} {lesson_id}: {e}")
            failed += 1
            continue
        kinds = sorted({k for c in lesson["check"] for k in c if k in ("status", "output", "items", "visited", "error")})
        mocked = " (mocked: " + lesson["testCase"] + ")" if lesson["mocks"] else ""
        if solution or not start:
            failed += 1
            print(f"FAIL {position:2} {lesson_id}{mocked}")
            for d in solution:
                print(f"       solution: {d}")
            if not start:
                print("       definition.json (the starting workflow) already passes the check")
        else:
            passed += 1
            first = start[0] if len(start[0]) <= 110 else start[0][:107] + "..."
            plural = "difference" if len(start) == 1 else "differences"
            print(f"ok   {position:2} {lesson_id}{mocked}: solution passes [{', '.join(kinds)}]; "
                  f"start fails ({len(start)} {plural}; first: {first})")
    for p in problems:
        print(f"FAIL {p}")
    failed += len(problems)
    print(f"lessons: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
