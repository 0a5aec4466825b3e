"""Kill builds at random moments, many times, and check that the output folder is always
the complete previous site or the complete new one (tests/killtrials.py does the work;
tests/test_output_safety.py runs a dozen trials of the same in `make test`).

    python benchmarks/kill_publish.py --trials 200 [--seed 13]

Prints what the output folder held after each kind of kill, and exits 1 if it ever held
anything else, or if the complete build after the kills left anything beside the output.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from killtrials import leftovers, run, snapshot  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        bench, report = run(Path(scratch), args.trials, args.seed)
        print(report.summary())
        bad = [t for t in report.trials if t.found not in ("old", "new")]
        bench.build()
        clean = leftovers(bench.output) == [] and snapshot(bench.output) == bench.known[bench.version]
        print(f"complete build afterwards: {'no leftovers, the expected site' if clean else 'LEFTOVERS or a wrong site: ' + str(leftovers(bench.output))}")
        for trial in bad:
            print(f"FAILED: {trial}")
        return 0 if not bad and clean else 1


if __name__ == "__main__":
    raise SystemExit(main())
