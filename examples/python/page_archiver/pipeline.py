"""The archiving pipeline: download the start pages, follow their same-site links, parse each
page and store it, and count what was archived."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .config import ArchiverConfig
from .fetch import FetchError, download, fetch_all
from .parse import ParsedPage, parse_page, word_frequencies
from .store import PageStore

log = logging.getLogger(__name__)


@dataclass
class ArchiveReport:
    """What one run did."""

    saved: int = 0
    duplicates: int = 0
    failed: list[str] = field(default_factory=list)
    bytes_downloaded: int = 0
    words: Counter[str] = field(default_factory=Counter)


def download_pages(urls: list[str], config: ArchiverConfig) -> dict[str, bytes]:
    """Downloads each URL; failures are logged and left out of the result."""
    bodies: dict[str, bytes] = {}
    for url in urls:
        try:
            bodies[url] = download(url, config.timeout, config.user_agent)
        except FetchError as error:
            log.warning("skipped %s", error)
    return bodies


def store_pages(bodies: dict[str, bytes], database: Path, report: ArchiveReport) -> list[ParsedPage]:
    """Parses and stores each downloaded body, updating `report`; returns the parsed pages."""
    store = PageStore(database)
    pages = []
    for url, body in bodies.items():
        page = parse_page(body.decode("utf-8", errors="replace"), url)
        words = word_frequencies(page.text)
        if store.save_page(url, page.title or url, body, sum(words.values())):
            report.saved += 1
        else:
            report.duplicates += 1
        report.words.update(words)
        report.bytes_downloaded += len(body)
        pages.append(page)
    store.connection.close()
    return pages


def archive_site(start_urls: list[str], config: ArchiverConfig, depth: int = 1) -> ArchiveReport:
    """Archives the start pages and, `depth` links deep, the same-site pages they link to."""
    report = ArchiveReport()
    sites = {urlsplit(url).netloc for url in start_urls}
    seen = set(start_urls)
    frontier = list(start_urls)
    for _level in range(depth + 1):
        if not frontier:
            break
        bodies = download_pages(frontier, config)
        report.failed.extend(url for url in frontier if url not in bodies)
        next_frontier = []
        for page in store_pages(bodies, config.database, report):
            for link in page.links:
                if urlsplit(link).netloc in sites and link not in seen and len(seen) < config.max_pages:
                    seen.add(link)
                    next_frontier.append(link)
        frontier = next_frontier
    return report


async def archive_site_async(start_urls: list[str], config: ArchiverConfig) -> ArchiveReport:
    """Archives the start pages only, downloading them concurrently under the rate limit."""
    report = ArchiveReport()
    results = await fetch_all(start_urls, config.timeout, config.requests_per_second)
    bodies = {url: result for url, result in results.items() if not isinstance(result, FetchError)}
    report.failed.extend(url for url in start_urls if url not in bodies)
    await asyncio.to_thread(store_pages, bodies, config.database, report)
    return report
