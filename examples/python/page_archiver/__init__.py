"""page_archiver: saves web pages for offline reading.

Downloads pages and the same-site pages they link to, keeps a compressed copy of each in a
SQLite database (deduplicated by content hash), reports word statistics and makes thumbnails
of archived screenshots. Standard library only; `requests` is used when it is installed.
"""

__version__ = "0.3.0"
