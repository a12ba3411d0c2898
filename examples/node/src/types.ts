// Types of the linkwatch HTTP API's JSON (see server.mjs), for TypeScript consumers such as the
// dashboard, and small helpers over them. The service itself is plain JavaScript; this file and
// client.ts are compiled by their consumers, never run by the CLI.

export interface PageRecord {
  url: string;
  title: string;
  hash: string;
  file: string;
  bytes: number;
  fetchedAt: string;
}

export interface LinkResult {
  url: string;
  status: number;
  ok: boolean;
  error?: string;
}

export interface CrawlResponse {
  pages: number;
  failed: { url: string; error: string }[];
  brokenLinks: LinkResult[];
}

export interface DuplicatePair {
  a: string;
  b: string;
  distance: number;
}

export interface StatusResponse {
  pages: number;
  updatedAt: string | null;
  build: { name: string; version: string; revision: string; node: string };
}

export type Health = 'ok' | 'degraded' | 'failing';

/** The dashboard's traffic light for one crawl: broken links and failed pages per page crawled. */
export function crawlHealth(crawl: CrawlResponse): Health {
  if (crawl.pages === 0) return 'failing';
  const problems = crawl.failed.length + crawl.brokenLinks.length;
  const ratio = problems / crawl.pages;
  return ratio === 0 ? 'ok' : ratio < 0.05 ? 'degraded' : 'failing';
}

/** Broken links grouped by host, most broken first, for the dashboard's table. */
export function brokenByHost(links: readonly LinkResult[]): [host: string, urls: string[]][] {
  const groups = new Map<string, string[]>();
  for (const link of links) {
    if (link.ok) continue;
    const host = URL.canParse(link.url) ? new URL(link.url).host : '(invalid URL)';
    const urls = groups.get(host) ?? [];
    urls.push(link.url);
    groups.set(host, urls);
  }
  return [...groups.entries()].sort((x, y) => y[1].length - x[1].length || x[0].localeCompare(y[0]));
}
