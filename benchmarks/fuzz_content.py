"""Run the property tests of tests/test_properties.py with far more cases than CI does:
generated event files, site.yaml files and site templates must never end in a traceback,
an "internal error" or an unlocated message (issue 13, "no internal errors on content").

    python benchmarks/fuzz_content.py [--cases 50000] [--seed N] [-k event|site_yaml|template]

`--cases` is the number of examples for each `check` test (event files, site.yaml); the
template test, which builds the whole site each time, runs a tenth of it. 50,000 should take
about 45 minutes (the default 1,500, with 150 template builds, takes 76 s). Exits as pytest does
(0: no failure); a failure prints the minimal generated file and a @reproduce_failure line.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50_000, help="examples per check test (default 50000)")
    parser.add_argument("--seed", help="Hypothesis seed, to repeat a run")
    parser.add_argument("-k", dest="select", help="only the tests whose names match (pytest -k)")
    args = parser.parse_args()
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--hypothesis-show-statistics",
               str(REPO / "tests" / "test_properties.py")]
    if args.seed:
        command.append(f"--hypothesis-seed={args.seed}")
    if args.select:
        command += ["-k", args.select]
    return subprocess.call(command, cwd=REPO, env={**os.environ, "HYPOTHESIS_CASES": str(args.cases)})


if __name__ == "__main__":
    raise SystemExit(main())
