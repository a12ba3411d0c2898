// The linkwatch HTTP API (node:http, JSON in and out):
//   POST /crawl {url, maxPages?}  crawl a site, store its pages, check its external links
//   GET  /pages                   the stored pages
//   GET  /report                  summary of the stored crawl
//   GET  /duplicates              near-duplicate titles (computed in a worker thread)
//   GET  /status                  pages stored, last update, build info

import fs from 'node:fs';
import http from 'node:http';
import { buildInfo } from './config.mjs';
import { crawlSite } from './crawler.mjs';
import { checkLinks } from './fetcher.mjs';
import { buildReport } from './report.mjs';
import { findDuplicatesInWorker } from './similarity.mjs';

const MAX_BODY_BYTES = 64 * 1024;

/** An HTTP server for `context` = `{ config, store }` (an opened PageStore); not yet listening. */
export function createServer(context) {
  return http.createServer((req, res) => {
    handleRequest(req, res, context).catch((error) => {
      sendJson(res, error.statusCode ?? 500, { error: error.message });
    });
  });
}

async function handleRequest(req, res, context) {
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  switch (`${req.method} ${pathname}`) {
    case 'POST /crawl':
      return handleCrawl(req, res, context);
    case 'GET /pages':
      return sendJson(res, 200, { pages: context.store.list() });
    case 'GET /report':
      return sendJson(res, 200, await buildReport(context.store.dir, context.config.maxDistance));
    case 'GET /duplicates':
      return handleDuplicates(req, res, context);
    case 'GET /status':
      return handleStatus(req, res, context);
    default:
      return sendJson(res, 404, { error: `no route for ${req.method} ${pathname}` });
  }
}

async function handleCrawl(req, res, { config, store }) {
  const { url, maxPages = config.maxPages } = JSON.parse(await readBody(req));
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
    return sendJson(res, 400, { error: 'body must be {"url": "http(s)://..."}' });
  }
  const crawl = await crawlSite(url, { ...config, maxPages, store });
  const links = await checkLinks(crawl.external, config);
  await store.flush();
  sendJson(res, 200, {
    pages: crawl.pages.length,
    failed: crawl.failed,
    brokenLinks: links.filter((link) => !link.ok),
  });
}

async function handleDuplicates(req, res, { config, store }) {
  const titles = store.list().map((page) => page.title).filter(Boolean);
  sendJson(res, 200, { pairs: await findDuplicatesInWorker(titles, config.maxDistance) });
}

async function handleStatus(req, res, { store }) {
  // Read the index from disk rather than memory: crawls by the CLI update it too.
  let index = { updatedAt: null, pages: [] };
  try {
    index = JSON.parse(fs.readFileSync(store.indexPath, 'utf8'));
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  sendJson(res, 200, { pages: index.pages.length, updatedAt: index.updatedAt, build: await buildInfo() });
}

/** The request body as text (at most MAX_BODY_BYTES). */
async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error('request body too large'), { statusCode: 413 });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8') || '{}';
}

function sendJson(res, status, body) {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
