"""Settings for an archiving run, and the small formatting helpers the CLI shares."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

ENV_PREFIX = "PAGE_ARCHIVER_"


@dataclass(frozen=True)
class ArchiverConfig:
    """Everything an archiving run needs to know; immutable so it can be shared by workers."""

    database: Path = Path("archive/pages.sqlite3")
    timeout: float = 10.0
    user_agent: str = "page-archiver/0.3"
    requests_per_second: float = 2.0
    max_pages: int = 50
    thumbnail_size: tuple[int, int] = (96, 72)
    workers: int = 4

    @classmethod
    def from_env(cls, **overrides: object) -> ArchiverConfig:
        """Defaults, then PAGE_ARCHIVER_* environment variables, then explicit non-None overrides."""
        config = cls()
        env = os.environ
        if f"{ENV_PREFIX}DATABASE" in env:
            config = replace(config, database=Path(env[f"{ENV_PREFIX}DATABASE"]))
        if f"{ENV_PREFIX}TIMEOUT" in env:
            config = replace(config, timeout=float(env[f"{ENV_PREFIX}TIMEOUT"]))
        if f"{ENV_PREFIX}WORKERS" in env:
            config = replace(config, workers=int(env[f"{ENV_PREFIX}WORKERS"]))
        given = {key: value for key, value in overrides.items() if value is not None}
        return replace(config, **given)


def format_size(num_bytes: float) -> str:
    """Human-readable byte count: 512 B, 1.5 KiB, 3.2 MiB."""
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(num_bytes) < 1024 or unit == "GiB":
            return f"{num_bytes:.0f} {unit}" if unit == "B" else f"{num_bytes:.1f} {unit}"
        num_bytes /= 1024
    raise AssertionError("unreachable")
