"""Entry point for `python -m page_archiver`."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
