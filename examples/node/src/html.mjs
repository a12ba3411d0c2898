// HTML helpers for a link checker: the links, the title and the visible text of a page, with
// regular expressions. Good enough for pages we crawl ourselves; not a general HTML parser.

const LINK_PATTERN = /<(?:a|link|area)\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;
const TITLE_PATTERN = /<title[^>]*>([\s\S]*?)<\/title>/i;
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Replaces the common named and numeric character references. */
function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Absolute http(s) URLs of the page's links, without fragments and duplicates, in page order. */
export function extractLinks(html, baseUrl) {
  const links = new Set();
  for (const match of html.matchAll(LINK_PATTERN)) {
    const href = decodeEntities((match[1] ?? match[2] ?? match[3]).trim());
    if (!href || href.startsWith('#') || /^(mailto|tel|javascript|data):/i.test(href)) continue;
    let url;
    try {
      url = new URL(href, baseUrl);
    } catch {
      continue; // not a URL, e.g. "http://" alone
    }
    url.hash = '';
    if (url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'file:') links.add(url.href);
  }
  return [...links];
}

/** The page's <title>, whitespace collapsed; '' when there is none. */
export function extractTitle(html) {
  const match = TITLE_PATTERN.exec(html);
  return match ? decodeEntities(match[1]).replace(/\s+/g, ' ').trim() : '';
}

/** The text a reader sees: no scripts, styles, comments or tags. */
export function pageText(html) {
  const text = html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style|noscript|template)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ');
  return decodeEntities(text).replace(/\s+/g, ' ').trim();
}
