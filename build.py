#!/usr/bin/env python3
"""Casebook (服务营销案例库): `python build.py check | build | serve | new <id> | schema`."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from casebook.cli import main

if __name__ == "__main__":
    sys.exit(main(home=HERE))
