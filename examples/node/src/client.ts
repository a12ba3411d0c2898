// A typed client for the linkwatch HTTP API (server.mjs), used by the dashboard: one method per
// route, JSON in and out, the server's error message in ApiError.

import type { CrawlResponse, DuplicatePair, PageRecord, StatusResponse } from './types.js';

export class ApiError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export class LinkwatchClient {
  private readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  }

  /** One JSON request (`path` relative to the base URL); throws ApiError with the server's message on an error status. */
  private async request<T>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await fetch(new URL(path, this.baseUrl), {
      ...init,
      headers: { 'content-type': 'application/json', ...init.headers },
    });
    const body = (await response.json()) as T & { error?: string };
    if (!response.ok) throw new ApiError(response.status, body.error ?? response.statusText);
    return body;
  }

  crawl(url: string, maxPages?: number): Promise<CrawlResponse> {
    return this.request<CrawlResponse>('crawl', { method: 'POST', body: JSON.stringify({ url, maxPages }) });
  }

  /** Crawls several sites at once (the server handles each request on its own). */
  async crawlAll(urls: readonly string[], maxPages?: number): Promise<Map<string, CrawlResponse>> {
    const responses = await Promise.all(urls.map((url) => this.crawl(url, maxPages)));
    return new Map(urls.map((url, i) => [url, responses[i]]));
  }

  async pages(): Promise<PageRecord[]> {
    return (await this.request<{ pages: PageRecord[] }>('pages')).pages;
  }

  async duplicates(): Promise<DuplicatePair[]> {
    return (await this.request<{ pairs: DuplicatePair[] }>('duplicates')).pairs;
  }

  status(): Promise<StatusResponse> {
    return this.request<StatusResponse>('status');
  }
}
