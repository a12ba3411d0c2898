// Talking to web servers: GET a page with the global fetch (or with https.get when the
// server's certificate must not be verified, which fetch cannot do without extra packages),
// check links with HEAD requests, and run many requests with a concurrency limit.

import https from 'node:https';

export class FetchError extends Error {
  constructor(url, message, status = 0) {
    super(`${url}: ${message}`);
    this.url = url;
    this.status = status;
  }
}

/** Downloads one page; resolves to `{ url, status, contentType, body }` or throws FetchError. */
export async function fetchPage(url, { timeout = 10_000, userAgent = 'linkwatch', insecure = false } = {}) {
  if (insecure && url.startsWith('https:')) {
    return fetchWithHttps(url, { timeout, userAgent });
  }
  let response;
  try {
    response = await fetch(url, {
      headers: { 'user-agent': userAgent, accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5' },
      redirect: 'follow',
      signal: AbortSignal.timeout(timeout),
    });
  } catch (error) {
    throw new FetchError(url, error.cause?.message ?? error.message);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new FetchError(url, `HTTP ${response.status}`, response.status);
  }
  return {
    url: response.url || url,
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: await response.text(),
  };
}

/** The same as fetchPage over node:https, without certificate checks (staging servers). */
export function fetchWithHttps(url, { timeout = 10_000, userAgent = 'linkwatch' } = {}) {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { headers: { 'user-agent': userAgent }, rejectUnauthorized: false, timeout }, (response) => {
      const { statusCode = 0, headers } = response;
      if (statusCode >= 300 && statusCode < 400 && headers.location) {
        response.resume();
        resolve(fetchWithHttps(new URL(headers.location, url).href, { timeout, userAgent }));
        return;
      }
      if (statusCode >= 400) {
        response.resume();
        reject(new FetchError(url, `HTTP ${statusCode}`, statusCode));
        return;
      }
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ url, status: statusCode, contentType: headers['content-type'] ?? '', body: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', (error) => reject(new FetchError(url, error.message)));
    });
    request.on('timeout', () => request.destroy(new Error(`no response in ${timeout} ms`)));
    request.on('error', (error) => reject(new FetchError(url, error.message)));
  });
}

/** Downloads every URL, for the `mirror` command. */
export async function fetchPages(urls, options = {}) {
  const results = [];
  for (const url of urls) {
    results.push(await fetchPage(url, options));
  }
  return results;
}

/** Whether `url` answers: a HEAD request, retried as GET for servers that refuse HEAD. */
export async function checkLink(url, { timeout = 10_000, userAgent = 'linkwatch' } = {}) {
  const init = { headers: { 'user-agent': userAgent }, redirect: 'follow' };
  try {
    let response = await fetch(url, { ...init, method: 'HEAD', signal: AbortSignal.timeout(timeout) });
    if (response.status === 405 || response.status === 501) {
      response = await fetch(url, { ...init, method: 'GET', signal: AbortSignal.timeout(timeout) });
      await response.body?.cancel();
    }
    return { url, status: response.status, ok: response.ok };
  } catch (error) {
    return { url, status: 0, ok: false, error: error.cause?.message ?? error.message };
  }
}

/** Checks many links, at most `concurrency` at a time (results in the order of `urls`). */
export function checkLinks(urls, options = {}) {
  return mapLimit(urls, options.concurrency ?? 8, (url) => checkLink(url, options));
}

/** `Promise.all(items.map(fn))` with at most `limit` calls of `fn` pending at once. */
export async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  async function lane() {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}
