"""Command line: ``python -m core check [DIR]``: the dataset's files and its stories.

``python -m data check`` validates the data files; a story's steps are view states in the URL
grammar, which lives here in the core, so the stories are checked here, on top of that.
"""

from __future__ import annotations

import argparse
import sys

from core.stories import load_stories
from data.__main__ import print_report, read_chosen


def main(argv: list[str] | None = None) -> int:
    """Run the command; return its exit code."""
    parser = argparse.ArgumentParser(prog="python -m core", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate a dataset directory and its stories; exit 1 on errors")
    check.add_argument(
        "directory", nargs="?", help="dataset directory (default: ATLAS_DATABASE_URL, ATLAS_DATA_DIR or shipped)"
    )
    args = parser.parse_args(argv)
    label, dataset = read_chosen(args.directory)
    stories, problems = load_stories(dataset)
    return print_report(label, dataset, problems, f"; {len(stories)} stories")


if __name__ == "__main__":
    sys.exit(main())
