"""``nrm law``: check scenarios, explain an assessment, benchmark the engine.

The date for ``explain`` defaults to today, read here and never in the rules.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from nrm.law import bench, check
from nrm.law.engine import assess
from nrm.law.errors import LawError
from nrm.law.explain import render


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nrm law", description="Law No. 04/L-218 as code: check, explain, bench."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    checking = commands.add_parser("check", help="run scenario files (YAML) as the contract says")
    checking.add_argument("paths", nargs="+", metavar="PATH", help="scenario files or folders")

    explaining = commands.add_parser("explain", help="print the assessment of one person's facts")
    explaining.add_argument("file", metavar="FILE", help="facts as YAML or JSON")
    explaining.add_argument("--on", type=_date, help="assessment date (default: today)")
    explaining.add_argument(
        "--json",
        action="store_true",
        help="print the contract's JSON, each item with its reason",
    )
    explaining.add_argument(
        "--language",
        help="quote the law's text in this language (sq, sr-latn) where an official "
        "translation is loaded; English otherwise",
    )

    benching = commands.add_parser("bench", help="assessments per second on one core")
    benching.add_argument("--n", type=int, default=100_000, help="fact sets (default 100000)")
    benching.add_argument("--seed", type=int, default=2013)
    benching.add_argument(
        "--repeat", type=int, default=3, help="rounds; the fastest counts (default 3)"
    )
    return parser


def _read_facts(path: Path) -> tuple[Any, dt.date | None]:
    """Facts from a file: {person, case}, or a scenario-like {facts, as_of}."""
    content = path.read_text(encoding="utf-8")
    data = json.loads(content) if path.suffix == ".json" else yaml.safe_load(content)
    if isinstance(data, dict) and "facts" in data:
        on = data.get("as_of")
        if isinstance(on, str):
            on = dt.date.fromisoformat(on)
        return data["facts"], on if isinstance(on, dt.date) else None
    return data, None


def _explain(args: argparse.Namespace) -> int:
    try:
        facts, file_on = _read_facts(Path(args.file))
    except (OSError, ValueError, yaml.YAMLError) as error:
        print(f"cannot read {args.file}: {error}", file=sys.stderr)
        return 2
    on = args.on or file_on or dt.date.today()
    try:
        assessment = assess(facts, on)
    except LawError as error:
        print(f"The facts were rejected: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(assessment.to_dict(reasons=True), indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(render(assessment, args.language))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "check":
        return check.main(args.paths)
    if args.command == "explain":
        return _explain(args)
    return bench.main(args.n, args.seed, args.repeat)
