// The crawler: breadth-first over a site's own links from a start page, a batch of pages at a
// time, storing each HTML page and collecting the links that leave the site (checked later).

import { fetchPage } from './fetcher.mjs';
import { extractLinks, extractTitle } from './html.mjs';

/**
 * Crawls up to `maxPages` HTML pages of the start page's site, saving them to `store` when
 * given. Returns the pages visited (without bodies), the external links found and the pages
 * that failed. Throws FetchError when the start page itself cannot be fetched.
 */
export async function crawlSite(startUrl, { store, maxPages = 50, concurrency = 4, ...fetchOptions } = {}) {
  // The start page comes first, alone: its final URL (after redirects such as
  // http://example.org → https://www.example.org/) decides which links belong to the site.
  const start = await fetchPage(startUrl, fetchOptions);
  const origin = new URL(start.url).origin;
  const seen = new Set([startUrl, start.url]);
  const external = new Set();
  const pages = [];
  const failed = [];
  const frontier = [];
  let fetched = [start];
  while (fetched.length > 0) {
    const html = fetched.filter((page) => page.contentType.includes('html'));
    for (const page of html) {
      page.title = extractTitle(page.body);
      pages.push({ url: page.url, title: page.title, status: page.status, bytes: page.body.length });
      for (const link of extractLinks(page.body, page.url)) {
        if (new URL(link).origin !== origin) {
          external.add(link);
        } else if (!seen.has(link)) {
          seen.add(link);
          frontier.push(link);
        }
      }
    }
    if (store) await Promise.all(html.map((page) => store.savePage(page)));
    const batch = frontier.splice(0, Math.min(concurrency, maxPages - pages.length));
    const outcomes = await Promise.allSettled(batch.map((url) => fetchPage(url, fetchOptions)));
    fetched = [];
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome.status === 'fulfilled') fetched.push(outcome.value);
      else failed.push({ url: batch[i], error: outcome.reason.message });
    }
  }
  return { start: start.url, pages, external: [...external], failed };
}
