"""Downloading pages.

`download` is the one place that talks to the network (urllib). `HttpClient` prefers a
keep-alive `requests.Session` when the package is installed. The asyncio front end spaces
requests out with a `RateLimiter` and runs the blocking download in worker threads.
"""

from __future__ import annotations

import asyncio
import logging
import time
import urllib.error
import urllib.request

try:
    import requests
except ImportError:  # optional: the archiver works with the standard library alone
    requests = None

log = logging.getLogger(__name__)

DEFAULT_HEADERS = {
    "User-Agent": "page-archiver/0.3",
    "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
}


class FetchError(Exception):
    """A page could not be downloaded (network error, timeout or HTTP error status)."""


def download(url: str, timeout: float = 10.0, user_agent: str | None = None) -> bytes:
    """Returns the body of `url`, following redirects; raises FetchError on failure."""
    headers = dict(DEFAULT_HEADERS)
    if user_agent:
        headers["User-Agent"] = user_agent
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        raise FetchError(f"{url}: {error}") from error


class HttpClient:
    """Fetches page text, over one keep-alive session when `requests` is available."""

    def __init__(self, timeout: float = 10.0, user_agent: str | None = None) -> None:
        self.timeout = timeout
        self.user_agent = user_agent or DEFAULT_HEADERS["User-Agent"]
        self._session = requests.Session() if requests is not None else None
        if self._session is not None:
            self._session.headers.update({**DEFAULT_HEADERS, "User-Agent": self.user_agent})

    def get_text(self, url: str) -> str:
        """The decoded body of `url`."""
        if self._session is None:
            return download(url, self.timeout, self.user_agent).decode("utf-8", errors="replace")
        try:
            response = self._session.get(url, timeout=self.timeout)
            response.raise_for_status()
        except requests.RequestException as error:
            raise FetchError(f"{url}: {error}") from error
        return response.text


class RateLimiter:
    """Allows at most `rate` requests per second across every task that shares it."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self._next_slot = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        """Waits for this caller's slot; slots are handed out in arrival order."""
        async with self._lock:
            now = asyncio.get_running_loop().time()
            delay = self._next_slot - now
            self._next_slot = max(now, self._next_slot) + self.interval
        if delay > 0:
            await asyncio.sleep(delay)


async def fetch_with_retry(url: str, timeout: float, attempts: int = 3, backoff: float = 0.5) -> bytes:
    """Downloads `url` in a worker thread, retrying failures with exponential backoff."""
    for attempt in range(1, attempts + 1):
        try:
            return await asyncio.to_thread(download, url, timeout)
        except FetchError as error:
            if attempt == attempts:
                raise
            log.info("attempt %d failed (%s), retrying", attempt, error)
            time.sleep(backoff * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


async def fetch_all(urls: list[str], timeout: float, rate: float) -> dict[str, bytes | FetchError]:
    """Downloads every URL concurrently, no faster than `rate` per second; failures are returned."""
    limiter = RateLimiter(rate)

    async def fetch_one(url: str) -> bytes | FetchError:
        await limiter.wait()
        try:
            return await fetch_with_retry(url, timeout)
        except FetchError as error:
            return error

    results = await asyncio.gather(*(fetch_one(url) for url in urls))
    return dict(zip(urls, results, strict=True))
