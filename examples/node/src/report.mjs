// Reports: the summary of a stored crawl (sizes, untitled pages, near-duplicate titles) for
// GET /report and `linkwatch report`, and the statistics of one HTML file for `linkwatch stats`.

import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { extractLinks, extractTitle, pageText } from './html.mjs';
import { levenshtein } from './similarity.mjs';
import { contentHash, PageStore } from './store.mjs';

const gzipAsync = promisify(gzip);

/** A summary of the crawl stored in `storeDir`. */
export async function buildReport(storeDir, maxDistance = 0.2) {
  const store = await new PageStore(storeDir).open();
  const pages = store.list();
  const titled = pages.filter((page) => page.title);
  const duplicates = [];
  for (let i = 0; i < titled.length; i++) {
    for (let j = i + 1; j < titled.length; j++) {
      const a = titled[i].title.toLowerCase();
      const b = titled[j].title.toLowerCase();
      const distance = levenshtein(a, b);
      if (distance <= maxDistance * Math.max(a.length, b.length)) {
        duplicates.push({ a: titled[i].url, b: titled[j].url, distance });
      }
    }
  }
  return {
    pages: pages.length,
    bytes: pages.reduce((sum, page) => sum + page.bytes, 0),
    untitled: pages.filter((page) => !page.title).map((page) => page.url),
    duplicates,
  };
}

/** Size, hash, words and links of a local HTML file; relative links resolve against `base`. */
export async function pageStats(file, base = pathToFileURL(file).href) {
  const html = await readFile(file, 'utf8');
  const links = extractLinks(html, base);
  const origin = new URL(base).origin;
  const internal = links.filter((link) => new URL(link).origin === origin);
  const words = pageText(html).split(' ').filter((word) => /\p{L}/u.test(word));
  return {
    file,
    title: extractTitle(html),
    bytes: Buffer.byteLength(html),
    gzipBytes: (await gzipAsync(html)).length,
    sha256: contentHash(html),
    words: words.length,
    links: links.length,
    internal: internal.length,
    external: links.length - internal.length,
  };
}
