#!/usr/bin/env python3
"""Casebook (服务营销案例库): `python build.py check | build | serve | new <id> | schema`."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

try:
    from casebook.cli import main
except ModuleNotFoundError as exc:  # run by a Python without the dependencies: say how to get them
    from casebook.missing import EXIT_MISSING, is_missing_dependency, missing_dependency_message

    if not is_missing_dependency(exc):
        raise
    print(missing_dependency_message(exc.name or ""), file=sys.stderr)
    sys.exit(EXIT_MISSING)

if __name__ == "__main__":
    sys.exit(main(home=HERE))
