"""Persistence: content hashes, compressed page bodies, the SQLite index of archived pages and
gzip exports of the whole archive."""

from __future__ import annotations

import gzip
import hashlib
import sqlite3
import time
import zlib
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    id          INTEGER PRIMARY KEY,
    url         TEXT NOT NULL,
    sha256      TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    word_count  INTEGER NOT NULL,
    body        BLOB NOT NULL,
    fetched_at  REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS pages_url ON pages (url);
"""


def content_hash(body: bytes) -> str:
    """Hex SHA-256 of a page body: two URLs serving the same bytes are stored once."""
    return hashlib.sha256(body).hexdigest()


def compress_body(body: bytes, level: int = 9) -> bytes:
    """zlib-compresses a page body for storage (HTML typically shrinks 4-8x)."""
    return zlib.compress(body, level)


class PageStore:
    """The archive's index: one row per distinct page body."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.connection = sqlite3.connect(path)
        self.connection.executescript(SCHEMA)

    def save_page(self, url: str, title: str, body: bytes, word_count: int) -> bool:
        """Stores a page; returns False when the same body is already archived."""
        with self.connection:
            cursor = self.connection.execute(
                "INSERT OR IGNORE INTO pages (url, sha256, title, word_count, body, fetched_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (url, content_hash(body), title, word_count, compress_body(body), time.time()),
            )
        return cursor.rowcount == 1

    def export_gzip(self, path: Path) -> int:
        """Writes every archived page to one gzip file (a URL line, then the HTML); returns the count."""
        rows = self.connection.execute("SELECT url, body FROM pages ORDER BY id").fetchall()
        with gzip.open(path, "wt", encoding="utf-8") as archive:
            for url, blob in rows:
                archive.write(f"### {url}\n")
                archive.write(zlib.decompress(blob).decode("utf-8", errors="replace"))
                archive.write("\n")
        return len(rows)
