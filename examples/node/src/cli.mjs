#!/usr/bin/env node
// linkwatch command line: crawl a site and check its links, mirror pages into the store,
// report on the store, serve the HTTP API, and two offline commands (stats of HTML files,
// near-duplicate titles of a list).

import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from './config.mjs';
import { crawlSite } from './crawler.mjs';
import { checkLinks, fetchPages } from './fetcher.mjs';
import { extractTitle } from './html.mjs';
import { buildReport, pageStats } from './report.mjs';
import { createServer } from './server.mjs';
import { findDuplicatesInWorker } from './similarity.mjs';
import { PageStore } from './store.mjs';

const HELP = `usage: linkwatch <command> [options]

commands:
  crawl URL             crawl a site, store its pages and check its external links
  mirror URL...         download the given pages into the store
  report                summary of the stored pages (sizes, near-duplicate titles)
  serve                 run the HTTP API (POST /crawl, GET /pages /report /duplicates /status)
  stats FILE...         size, hash, words and links of local HTML files (offline)
  dupes FILE            near-duplicate titles among the lines of FILE (offline, worker thread)

options:
  --config FILE         JSON configuration (see config.mjs for the keys)
  --store DIR           page store folder (default .linkwatch, or $LINKWATCH_STORE)
  --max-pages N         pages to crawl (default 50)
  --port N              port for serve (default 8080)
  --base URL            base URL for the links of stats' files (default: the file's URL)
  --archive FILE        mirror: also write the whole store to FILE (.json.gz)
  --insecure            do not verify TLS certificates (staging servers)
  -h, --help            show this help
`;

const OPTIONS = {
  config: { type: 'string' },
  store: { type: 'string' },
  'max-pages': { type: 'string' },
  port: { type: 'string' },
  base: { type: 'string' },
  archive: { type: 'string' },
  insecure: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

async function cmdStats(files, base) {
  if (files.length === 0) throw new UsageError('stats needs at least one FILE');
  for (const stats of await Promise.all(files.map((file) => pageStats(file, base)))) {
    console.log(`${stats.file}: "${stats.title}"`);
    console.log(`  ${stats.bytes} bytes (${stats.gzipBytes} gzipped), ${stats.words} words, sha256 ${stats.sha256.slice(0, 16)}…`);
    console.log(`  ${stats.links} links: ${stats.internal} internal, ${stats.external} external`);
  }
  return 0;
}

async function cmdDupes(file, config) {
  if (!file) throw new UsageError('dupes needs a FILE with one title per line');
  const titles = (await readFile(file, 'utf8')).split('\n').map((line) => line.trim()).filter(Boolean);
  const pairs = await findDuplicatesInWorker(titles, config.maxDistance);
  for (const { a, b, distance } of pairs) console.log(`${distance}\t${a}\t${b}`);
  console.log(`${pairs.length} near-duplicate pair(s) among ${titles.length} titles`);
  return 0;
}

async function cmdCrawl(url, config) {
  if (!url) throw new UsageError('crawl needs a URL');
  const store = await new PageStore(config.storeDir).open();
  const crawl = await crawlSite(url, { ...config, store });
  const broken = (await checkLinks(crawl.external, config)).filter((link) => !link.ok);
  await store.flush();
  console.log(`${crawl.pages.length} page(s) stored in ${config.storeDir}, ${crawl.failed.length} failed`);
  for (const { url: failedUrl, error } of crawl.failed) console.log(`  failed: ${failedUrl} (${error})`);
  for (const link of broken) console.log(`  broken link: ${link.url} (${link.error ?? link.status})`);
  return broken.length > 0 || crawl.failed.length > 0 ? 1 : 0;
}

async function cmdMirror(urls, config, archivePath) {
  if (urls.length === 0) throw new UsageError('mirror needs at least one URL');
  const store = await new PageStore(config.storeDir).open();
  const pages = await fetchPages(urls, config);
  const saved = await Promise.all(pages.map((page) => store.savePage({ ...page, title: extractTitle(page.body) })));
  await store.flush();
  console.log(`${saved.filter(Boolean).length} new or changed page(s), ${saved.length} fetched`);
  if (archivePath) console.log(`archive: ${archivePath} (${await store.exportArchive(archivePath)} bytes)`);
  return 0;
}

class UsageError extends Error {}

async function main(argv) {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    (values.help ? process.stdout : process.stderr).write(HELP);
    return values.help ? 0 : 2;
  }
  const config = await loadConfig(values.config, {
    storeDir: values.store,
    maxPages: values['max-pages'] === undefined ? undefined : Number(values['max-pages']),
    port: values.port === undefined ? undefined : Number(values.port),
    insecure: values.insecure,
  });
  switch (command) {
    case 'crawl':
      return cmdCrawl(rest[0], config);
    case 'mirror':
      return cmdMirror(rest, config, values.archive);
    case 'report':
      console.log(JSON.stringify(await buildReport(config.storeDir, config.maxDistance), null, 2));
      return 0;
    case 'serve': {
      const store = await new PageStore(config.storeDir).open();
      createServer({ config, store }).listen(config.port, () => console.log(`linkwatch listening on http://localhost:${config.port}/`));
      return undefined; // keep running
    }
    case 'stats':
      return cmdStats(rest, values.base);
    case 'dupes':
      return cmdDupes(rest[0], config);
    default:
      throw new UsageError(`unknown command '${command}' (see --help)`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error) => {
    const usage = error instanceof UsageError || error.code?.startsWith('ERR_PARSE_ARGS');
    console.error(`linkwatch: ${error.message}`);
    process.exitCode = usage ? 2 : 1;
  },
);
