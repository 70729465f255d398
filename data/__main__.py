"""Command line: ``python -m data {check,export,load-db,generate,import-startups}``.

``check`` and ``export`` read the directory given, else the database of ``ATLAS_DATABASE_URL``
when it is set, else ``ATLAS_DATA_DIR`` or the shipped dataset.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from data.loader import Dataset, data_dir_from_env, read_dataset
from data.problems import Problem
from data.schema import CONFIDENCE


def read_chosen(directory: str | None) -> tuple[str, Dataset]:
    """The dataset the command line works on (see the module's docstring), freshly read, and a
    label naming where it came from."""
    if directory:
        return directory, read_dataset(Path(directory))
    from data import database

    url = database.database_url()
    if url:
        dataset = database.read_database(url)
        version = f" version {dataset.version}" if dataset.version else ""
        return f"{database.redacted(url)}{version}", dataset
    path = data_dir_from_env()
    return str(path), read_dataset(path)


def confidence_counts(dataset: Dataset) -> dict[str, int]:
    """Records of every table by confidence: confirmed, unconfirmed, synthetic."""
    counts = dict.fromkeys(CONFIDENCE, 0)
    for name in dataset.counts():
        for level, n in dataset.frame(name)["confidence"].value_counts().items():
            counts[str(level)] = counts.get(str(level), 0) + int(n)
    return counts


def _check(args: argparse.Namespace) -> int:
    return print_report(*read_chosen(args.directory))


def print_report(directory: Path | str, dataset: Dataset, more: Sequence[Problem] = (), more_summary: str = "") -> int:
    """Print every problem of ``dataset`` (and ``more``, e.g. its stories' problems found by
    ``python -m core check``) and a summary; return the exit code (1 when there are errors)."""
    for problem in (*dataset.problems, *more):
        print(problem)
    errors, warnings = len(dataset.errors) + len(more), len(dataset.warnings)
    counts = ", ".join(f"{n} {name}" for name, n in dataset.counts().items())
    by_file = Counter(p.file for p in (*dataset.errors, *more))
    print(f"\n{directory}: {counts} loaded{more_summary}.")
    print("Records by confidence: " + ", ".join(f"{n} {level}" for level, n in confidence_counts(dataset).items()))
    if by_file:
        print("Errors by file: " + ", ".join(f"{f} {n}" for f, n in sorted(by_file.items())))
    print(
        f"{errors} error(s), {warnings} warning(s): "
        + ("clean." if not errors else "records with errors were left out; the rest loaded.")
    )
    return 1 if errors else 0


def _export(args: argparse.Namespace) -> int:
    from data.export import write_export

    _, dataset = read_chosen(args.directory)
    count = write_export(dataset, args.output)
    print(f"wrote {count} features to {args.output}")
    if dataset.errors:
        print(
            f"{len(dataset.errors)} record(s) with errors left out; run `python -m data check` for details",
            file=sys.stderr,
        )
        return 1
    return 0


def _load_db(args: argparse.Namespace) -> int:
    from data import database, database_write
    from data.loader import story_folder

    url = args.url or database.database_url()
    if not url:
        print("no database: give --url postgresql://... or set ATLAS_DATABASE_URL", file=sys.stderr)
        return 2
    directory = Path(args.directory) if args.directory else data_dir_from_env()
    dataset = read_dataset(directory)
    status = print_report(directory, dataset)
    if dataset.errors and args.strict:
        print("--strict: nothing written to the database", file=sys.stderr)
        return status
    folder = story_folder(directory)
    paths = sorted(folder.glob("*.json")) if folder else []
    stories = [(path.name, path.read_bytes().decode("utf-8-sig", "replace")) for path in paths]
    try:
        version = database_write.write_dataset(dataset, url, stories, str(directory.resolve()), args.read_role)
    except Exception as exc:  # psycopg's errors, and PostGIS missing: the message says which
        print(f"{database.redacted(url)}: not written: {str(exc).strip().splitlines()[0]}", file=sys.stderr)
        return 2
    counts = ", ".join(f"{n} {name}" for name, n in dataset.counts().items())
    print(f"{database.redacted(url)}: version {version} written ({counts}; {len(stories)} stories).")
    return status


def _generate(args: argparse.Namespace) -> int:
    from data.generate import generate_dataset

    base = read_dataset(Path(args.base) if args.base else data_dir_from_env())
    counts = generate_dataset(base, args.output, args.startups, args.actors, args.links, args.seed)
    print(
        f"wrote {counts['startups']} start-ups, {counts['actors']} actors, {counts['links']} links "
        f"(all synthetic) to {args.output}"
    )
    return 0


def _import(args: argparse.Namespace) -> int:
    from data.startup_import import run_import_cli

    return run_import_cli(args.file, args.output, args.region)


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser, one sub-command per task."""
    parser = argparse.ArgumentParser(prog="python -m data", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate a dataset's files (python -m core check adds stories)")
    check.add_argument(
        "directory", nargs="?", help="dataset directory (default: ATLAS_DATABASE_URL, ATLAS_DATA_DIR or shipped)"
    )
    check.set_defaults(func=_check)
    export = sub.add_parser("export", help="write everything as one GeoJSON FeatureCollection")
    export.add_argument(
        "directory", nargs="?", help="dataset directory (default: ATLAS_DATABASE_URL, ATLAS_DATA_DIR or shipped)"
    )
    export.add_argument("-o", "--output", required=True, help="GeoJSON file to write")
    export.set_defaults(func=_export)
    load = sub.add_parser("load-db", help="validate a dataset directory and write it into PostGIS as a new version")
    load.add_argument("directory", nargs="?", help="dataset directory (default: ATLAS_DATA_DIR or shipped)")
    load.add_argument("--url", help="postgresql://user:password@host:port/database (default: ATLAS_DATABASE_URL)")
    load.add_argument("--strict", action="store_true", help="write nothing when a record has an error")
    load.add_argument(
        "--read-role",
        action="append",
        default=[],
        metavar="ROLE",
        help="a role the app servers connect as: granted reading of the new tables (repeatable)",
    )
    load.set_defaults(func=_load_db)
    gen = sub.add_parser("generate", help="write a reproducible synthetic dataset for benchmarks")
    gen.add_argument("--startups", type=int, default=100_000)
    gen.add_argument("--actors", type=int, default=10_000)
    gen.add_argument("--links", type=int, default=50_000)
    gen.add_argument("--seed", type=int, default=1)
    gen.add_argument("--base", help="dataset whose taxonomy and areas to reuse (default: shipped)")
    gen.add_argument("-o", "--output", required=True, help="directory to write")
    gen.set_defaults(func=_generate)
    imp = sub.add_parser("import-startups", help="import the business register's list of innovative start-ups")
    imp.add_argument("file", help="the register's xlsx/xls/csv file")
    imp.add_argument("-o", "--output", required=True, help="directory to write actors-startups.csv into")
    imp.add_argument("--region", help="keep only this region's rows, e.g. Emilia-Romagna (default: all rows)")
    imp.set_defaults(func=_import)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command in ``argv`` (default: the process's); return its exit code."""
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
