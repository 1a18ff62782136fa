# SPDX-License-Identifier: GPL-2.0-only
# Feeds a KTAP file to the kernel's own parser (tools/testing/kunit/kunit_parser.py)
# and writes what it read as JSON: the counts, the status and every subtest's
# name and status, recursively. The parser prints its own report on stdout,
# so the JSON goes to a file.
# usage: python3 kunit-counts.py KUNIT_DIR KTAP_FILE OUT_JSON
import json
import sys

sys.path.insert(0, sys.argv[1])
import kunit_parser  # noqa: E402


def tree(test):
    return {"name": test.name, "status": test.status.name, "subtests": [tree(t) for t in test.subtests]}


with open(sys.argv[2], encoding="utf-8") as f:
    lines = f.readlines()
test = kunit_parser.parse_run_tests(lines)
c = test.counts
with open(sys.argv[3], "w", encoding="utf-8") as out:
    json.dump({"status": test.status.name, "total": c.total(), "passed": c.passed, "failed": c.failed, "crashed": c.crashed,
               "skipped": c.skipped, "errors": c.errors, "tree": tree(test)}, out)
