"""Command-line front end: `python -m page_archiver {archive,stats,thumbnail,export}`.

Only `archive` (and `stats` given a URL) use the network; the other commands work on local files.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from pathlib import Path

from . import __version__
from .config import ArchiverConfig, format_size
from .fetch import HttpClient
from .images import make_test_pattern, make_thumbnails, read_ppm, write_ppm
from .parse import parse_page, top_words, word_frequencies
from .pipeline import ArchiveReport, archive_site, archive_site_async
from .store import PageStore


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    parser = argparse.ArgumentParser(prog="page_archiver", description="Save web pages for offline reading.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log each request")
    commands = parser.add_subparsers(dest="command", required=True)

    archive = commands.add_parser("archive", help="download pages and their same-site links")
    archive.add_argument("urls", nargs="+", metavar="URL")
    archive.add_argument("--database", type=Path, help="SQLite file (default: archive/pages.sqlite3)")
    archive.add_argument("--depth", type=int, default=1, help="how many links deep to follow (default: 1)")
    archive.add_argument("--max-pages", type=int, dest="max_pages")
    archive.add_argument("--async", action="store_true", dest="use_async", help="fetch the start pages concurrently")

    stats = commands.add_parser("stats", help="word statistics of HTML files or URLs")
    stats.add_argument("sources", nargs="+", metavar="FILE_OR_URL")
    stats.add_argument("--top", type=int, default=10)

    thumbnail = commands.add_parser("thumbnail", help="make thumbnails of PPM screenshots")
    thumbnail.add_argument("images", nargs="*", type=Path, metavar="IMAGE.ppm")
    thumbnail.add_argument("--out", type=Path, default=Path("thumbnails"))
    thumbnail.add_argument("--demo", type=int, default=0, metavar="N", help="also render N test patterns")
    thumbnail.add_argument("--workers", type=int)

    export = commands.add_parser("export", help="write every archived page to one .gz file")
    export.add_argument("output", type=Path)
    export.add_argument("--database", type=Path)
    return parser


def format_report(report: ArchiveReport, top: int = 10) -> str:
    """A short, human-readable summary of an archiving run."""
    lines = [
        f"saved {report.saved} page(s), {report.duplicates} duplicate(s), {len(report.failed)} failed",
        f"downloaded {format_size(report.bytes_downloaded)}",
    ]
    lines += [f"  failed: {url}" for url in report.failed]
    if report.words:
        lines.append("top words: " + ", ".join(f"{word} ({count})" for word, count in top_words(report.words, top)))
    return "\n".join(lines)


def cmd_archive(args: argparse.Namespace) -> int:
    config = ArchiverConfig.from_env(database=args.database, max_pages=args.max_pages)
    if args.use_async:
        report = asyncio.run(archive_site_async(args.urls, config))
    else:
        report = archive_site(args.urls, config, depth=args.depth)
    print(format_report(report))
    return 0 if report.saved or report.duplicates else 1


def cmd_stats(args: argparse.Namespace) -> int:
    client = HttpClient()
    for source in args.sources:
        if source.startswith(("http://", "https://")):
            html = client.get_text(source)
        else:
            html = Path(source).read_text(encoding="utf-8", errors="replace")
        page = parse_page(html, source)
        counts = word_frequencies(page.text)
        print(f"{source}: {page.title or '(untitled)'} - {sum(counts.values())} words, {len(page.links)} links")
        for word, count in top_words(counts, args.top):
            print(f"  {count:6d}  {word}")
    return 0


def cmd_thumbnail(args: argparse.Namespace) -> int:
    config = ArchiverConfig.from_env(workers=args.workers)
    sources = [(path.stem, read_ppm(path)) for path in args.images]
    sources += [(f"pattern-{index}", make_test_pattern(640, 480)) for index in range(args.demo)]
    if not sources:
        print("nothing to do: give PPM files or --demo N")
        return 2
    thumbnails = make_thumbnails([image for _name, image in sources], config.thumbnail_size, config.workers)
    args.out.mkdir(parents=True, exist_ok=True)
    for (name, _image), thumbnail in zip(sources, thumbnails, strict=True):
        write_ppm(thumbnail, args.out / f"{name}.thumb.ppm")
    print(f"wrote {len(thumbnails)} thumbnail(s) to {args.out}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    config = ArchiverConfig.from_env(database=args.database)
    count = PageStore(config.database).export_gzip(args.output)
    print(f"exported {count} page(s) to {args.output} ({format_size(args.output.stat().st_size)})")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Runs one command; returns the process exit code."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    handlers = {"archive": cmd_archive, "stats": cmd_stats, "thumbnail": cmd_thumbnail, "export": cmd_export}
    return handlers[args.command](args)
