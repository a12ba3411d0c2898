// The page store, in place of a database: every page body is gzipped into pages/<hash>.html.gz,
// and index.json lists the pages (URL, title, hash, size, when fetched). `exportArchive` writes
// the whole store to one .json.gz file.

import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** SHA-256 of a page body, in hex: the store's content address. */
export function contentHash(body) {
  return createHash('sha256').update(body).digest('hex');
}

export class PageStore {
  constructor(dir) {
    this.dir = dir;
    this.indexPath = join(dir, 'index.json');
    this.pages = new Map();
    this.flushing = Promise.resolve();
  }

  /** Creates the folders if needed and loads the index; returns the store. */
  async open() {
    await mkdir(join(this.dir, 'pages'), { recursive: true });
    try {
      const index = JSON.parse(await readFile(this.indexPath, 'utf8'));
      for (const record of index.pages) this.pages.set(record.url, record);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
    return this;
  }

  /** Stores a fetched page (`{ url, body, title? }`); false when the same body is already stored. */
  async savePage(page) {
    const hash = contentHash(page.body);
    if (this.pages.get(page.url)?.hash === hash) return false;
    const file = join('pages', `${hash.slice(0, 20)}.html.gz`);
    await writeFile(join(this.dir, file), await gzipAsync(page.body));
    this.pages.set(page.url, {
      url: page.url,
      title: page.title ?? '',
      hash,
      file,
      bytes: Buffer.byteLength(page.body),
      fetchedAt: new Date().toISOString(),
    });
    return true;
  }

  /** The stored pages' records, by URL. */
  list() {
    return [...this.pages.values()].sort((a, b) => a.url.localeCompare(b.url));
  }

  /** Writes index.json; concurrent calls (two crawls finishing together) write one after the other. */
  flush() {
    const write = this.flushing.then(() => this.writeIndex());
    this.flushing = write.catch(() => {});
    return write;
  }

  /** Writes the current index atomically: a temporary file renamed over the old one. */
  async writeIndex() {
    const temporary = `${this.indexPath}.${process.pid}.tmp`;
    const index = { updatedAt: new Date().toISOString(), pages: this.list() };
    await writeFile(temporary, JSON.stringify(index, null, 2));
    await rename(temporary, this.indexPath);
  }

  /** Writes every stored page, with its HTML, to one gzipped JSON file; returns its size. */
  async exportArchive(outPath) {
    const records = this.list();
    const bodies = await Promise.all(records.map((record) => readFile(join(this.dir, record.file)).then(gunzipAsync)));
    const archive = {
      exportedAt: new Date().toISOString(),
      pages: records.map((record, i) => ({ ...record, html: bodies[i].toString('utf8') })),
    };
    const compressed = await gzipAsync(JSON.stringify(archive));
    await writeFile(outPath, compressed);
    return compressed.length;
  }
}
