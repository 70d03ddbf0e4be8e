#!/usr/bin/env python3
"""Generate seeded, deterministic demo landing data for the usage-health warehouse.

The output is the ten landing sources of the input contract (see macros/landing/contract.sql),
the demo's identity overrides (``account_mapping_overrides.csv``, the optional configuration
source: the demo's overrides travel with its data, the shipped seed holds none) and a truth
file, ``<out>/_truth/planted_accounts.csv``, naming the quadrant each top-level account
was planted in (Champions, Frustrated Power Users, Relationship-Dependent, Churn Risk or
Between) and how its production workspace can be tied to it (crm_id, subscription,
email_domain or override).

Same arguments => byte-identical files: all randomness comes from one ``random.Random`` seeded
with ``--seed``, every date is derived from ``--end-date`` (the wall clock is never read), and
files are written in a fixed order with ``\\n`` line endings.

The work is done by the ``demo_landing`` package next to this script (see its ``__init__``);
this file is the command line.

Example::

    python scripts/generate_landing.py --out data/landing --accounts 300 --weeks 30 \\
        --end-date 2026-11-15 --seed 42
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Sequence

from demo_landing.common import parse_date
from demo_landing.generator import Generator
from demo_landing.world import CHURN_RATES, PLANTS

__all__ = ["CHURN_RATES", "PLANTS", "Generator", "build_parser", "main", "parse_date"]


def build_parser() -> argparse.ArgumentParser:
    """The command line's arguments."""
    parser = argparse.ArgumentParser(
        description="Generate seeded, deterministic demo landing data for the usage-health "
                    "warehouse (same arguments => byte-identical files). Deletes and recreates --out.",
    )
    parser.add_argument("--out", default="data/landing", help="output folder (default: %(default)s)")
    parser.add_argument("--accounts", type=int, default=300,
                        help="number of CRM accounts incl. ~1 in 30 child accounts (default: %(default)s)")
    parser.add_argument("--weeks", type=int, default=30,
                        help="weeks of data ending on --end-date, at least 26 (default: %(default)s)")
    parser.add_argument("--end-date", type=parse_date, default=dt.date(2026, 11, 15),
                        help="last day of the data, inclusive (default: 2026-11-15)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default: %(default)s)")
    parser.add_argument("--users-scale", type=float, default=1.0,
                        help="users per workspace = licensed seats x this (default: %(default)s)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Check the arguments, generate, print rows per file; returns the exit status."""
    args = build_parser().parse_args(argv)
    if args.weeks < 26:
        print("error: --weeks must be at least 26", file=sys.stderr)
        return 2
    if args.accounts < 20:
        print("error: --accounts must be at least 20", file=sys.stderr)
        return 2
    if args.users_scale <= 0:
        print("error: --users-scale must be positive", file=sys.stderr)
        return 2
    gen = Generator(args.out, args.accounts, args.weeks, args.end_date, args.seed, args.users_scale)
    stats = gen.run()
    print(f"wrote {args.out} (window {gen.world.window_start} .. {gen.world.end_date}): "
          + ", ".join(f"{k}={v}" for k, v in stats.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
