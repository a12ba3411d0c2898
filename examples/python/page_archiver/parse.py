"""Turning HTML into what the archive keeps: the title, the visible text, the links, and word
statistics over the text."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
STOP_WORDS = frozenset(
    "the and for are but not you all any can had her was one our out day get has him his how man new now "
    "old see two way who boy did its let put say she too use that with have this will your from they know "
    "want been good much some time very when come here just like long make many more only over such take "
    "than them well were what into".split()
)
INVISIBLE_TAGS = frozenset({"script", "style", "noscript", "template"})


@dataclass
class ParsedPage:
    """What one HTML document contributes to the archive."""

    url: str
    title: str = ""
    text: str = ""
    links: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)


class PageParser(HTMLParser):
    """Collects the title, visible text, absolute link targets and image sources of a page."""

    def __init__(self, base_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage(url=base_url)
        self._hidden_depth = 0
        self._in_title = False
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in INVISIBLE_TAGS:
            self._hidden_depth += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "a" and attributes.get("href"):
            target, _fragment = urldefrag(urljoin(self.page.url, attributes["href"]))
            if urlsplit(target).scheme in ("http", "https"):
                self.page.links.append(target)
        elif tag == "img" and attributes.get("src"):
            self.page.images.append(urljoin(self.page.url, attributes["src"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in INVISIBLE_TAGS and self._hidden_depth > 0:
            self._hidden_depth -= 1
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.page.title += data.strip()
        elif self._hidden_depth == 0 and data.strip():
            self.chunks.append(data.strip())


def parse_page(html: str, url: str) -> ParsedPage:
    """Parses one document; links are absolute, without fragments, and deduplicated in order."""
    parser = PageParser(url)
    parser.feed(html)
    parser.close()
    page = parser.page
    page.text = " ".join(parser.chunks)
    page.links = list(dict.fromkeys(page.links))
    return page


def word_frequencies(text: str, min_length: int = 3) -> Counter[str]:
    """Counts the words of `text`, case-folded, without stop words and short words."""
    words = (match.group().casefold() for match in WORD_RE.finditer(text))
    return Counter(word for word in words if len(word) >= min_length and word not in STOP_WORDS)


def top_words(counts: Counter[str], n: int = 10) -> list[tuple[str, int]]:
    """The `n` most frequent words, ties broken alphabetically so the output is stable."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]
