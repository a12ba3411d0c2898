/**
 * What Node.js's standard library, the web platform globals and common packages do when
 * called, as data (see ../../catalog.ts for the key syntax).
 *
 * Names are canonical: a module's specifier without `node:`, with `/` read as `.`
 * (`fs/promises` → `fs.promises`); a package's default export is the package name
 * (`axios`, `ioredis`); objects made by a known constructor or factory get its type
 * (`new pg.Pool()` → `pg.Pool`, so `pool.query` is `pg.Pool.query`).
 * Promise and callback APIs are awaitable: they do not block the event loop.
 */
import type { CatalogData } from '../../catalog';

const AWAIT_FILE = { category: 'file', awaitable: true } as const;
const AWAIT_NET = { category: 'network', awaitable: true } as const;
const AWAIT_DB = { category: 'database', awaitable: true } as const;
const AWAIT_PROC = { category: 'process', awaitable: true } as const;
/** Work handed to libuv's thread pool (async zlib, crypto): the caller only waits. */
const THREADPOOL = { category: 'offload', awaitable: true, weight: 2 } as const;
/** A sync metadata probe: blocking, but light. */
const SYNC_META = { category: 'file', weight: 2 } as const;

const FS_SYNC = [
  'readFileSync', 'writeFileSync', 'appendFileSync', 'readdirSync', 'mkdirSync', 'rmSync', 'rmdirSync', 'unlinkSync',
  'renameSync', 'copyFileSync', 'cpSync', 'openSync', 'readSync', 'writeSync', 'closeSync', 'fsyncSync', 'truncateSync',
  'ftruncateSync', 'symlinkSync', 'linkSync', 'readlinkSync', 'realpathSync', 'mkdtempSync', 'chmodSync', 'chownSync',
  'utimesSync', 'opendirSync',
];
const FS_META_SYNC = ['existsSync', 'statSync', 'lstatSync', 'fstatSync', 'accessSync'];
const FS_ASYNC = [
  'readFile', 'writeFile', 'appendFile', 'readdir', 'mkdir', 'rm', 'rmdir', 'unlink', 'rename', 'copyFile', 'cp', 'open',
  'read', 'write', 'close', 'stat', 'lstat', 'fstat', 'access', 'exists', 'realpath', 'mkdtemp', 'chmod', 'chown', 'utimes',
  'symlink', 'link', 'readlink', 'truncate', 'opendir', 'watch',
];

function table(prefix: string, names: readonly string[], entry: CatalogData[string]): CatalogData {
  return Object.fromEntries(names.map((name) => [`${prefix}.${name}`, entry]));
}

/** The file system. */
const fs: CatalogData = {
  ...table('fs', FS_SYNC, 'file'),
  ...table('fs', FS_META_SYNC, SYNC_META),
  ...table('fs', FS_ASYNC, AWAIT_FILE),
  ...table('fs.promises', FS_ASYNC, AWAIT_FILE),
  'fs.promises.open': { category: 'file', awaitable: true, returns: 'fs.promises.FileHandle' },
  'fs.promises.FileHandle.*': AWAIT_FILE,
  'fs.createReadStream': { category: 'file', awaitable: true, weight: 2 },
  'fs.createWriteStream': { category: 'file', awaitable: true, weight: 2 },
  ...table('fs-extra', FS_SYNC, 'file'),
  ...table('fs-extra', FS_META_SYNC, SYNC_META),
  'fs-extra.*': AWAIT_FILE,
  'fs-extra.readJsonSync': 'file',
  'fs-extra.writeJsonSync': 'file',
  'fs-extra.copySync': 'file',
  'fs-extra.ensureDirSync': 'file',
  'fs-extra.removeSync': 'file',
  'fs-extra.pathExistsSync': SYNC_META,
  'glob.sync': 'file',
  'glob.globSync': 'file',
  'glob.glob': AWAIT_FILE,
  'glob': AWAIT_FILE,
  'fast-glob': AWAIT_FILE,
  'fast-glob.sync': 'file',
};

/** Child processes. */
const processes: CatalogData = {
  'child_process.execSync': 'process',
  'child_process.execFileSync': 'process',
  'child_process.spawnSync': 'process',
  'child_process.exec': AWAIT_PROC,
  'child_process.execFile': AWAIT_PROC,
  'child_process.spawn': { category: 'process', awaitable: true, returns: 'child_process.ChildProcess' },
  // Starting a child or a worker does not wait; listening for its answer in a Promise does.
  'child_process.fork': { returns: 'child_process.ChildProcess' },
  'child_process.ChildProcess.send': { category: 'offload', awaitable: true, weight: 1 },
  'child_process.ChildProcess.on': { category: 'offload', awaitable: true, inPromiseOnly: true },
  'child_process.ChildProcess.once': { category: 'offload', awaitable: true, inPromiseOnly: true },
  'execa': AWAIT_PROC,
  'execa.execa': AWAIT_PROC,
  'execa.execaSync': 'process',
  'execa.sync': 'process',
};

/** Networks: Node's modules, fetch, HTTP clients. */
const network: CatalogData = {
  'http.request': AWAIT_NET,
  'http.get': AWAIT_NET,
  'https.request': AWAIT_NET,
  'https.get': AWAIT_NET,
  'http2.connect': AWAIT_NET,
  'net.connect': { category: 'network', awaitable: true, returns: 'net.Socket' },
  'net.createConnection': { category: 'network', awaitable: true, returns: 'net.Socket' },
  'net.Socket.write': AWAIT_NET,
  'tls.connect': { category: 'network', awaitable: true, returns: 'net.Socket' },
  'dgram.createSocket': { category: 'network', awaitable: true, weight: 2, returns: 'dgram.Socket' },
  'dgram.Socket.send': AWAIT_NET,
  'dns.lookup': AWAIT_NET,
  'dns.resolve': AWAIT_NET,
  'dns.promises.*': AWAIT_NET,
  fetch: { category: 'network', awaitable: true, returns: 'Response' },
  'Response.json': AWAIT_NET,
  'Response.text': AWAIT_NET,
  'Response.arrayBuffer': AWAIT_NET,
  'Response.blob': AWAIT_NET,
  'node-fetch': { category: 'network', awaitable: true, returns: 'Response' },
  'node-fetch.default': { category: 'network', awaitable: true, returns: 'Response' },
  'undici.fetch': { category: 'network', awaitable: true, returns: 'Response' },
  'undici.request': AWAIT_NET,
  'undici.stream': AWAIT_NET,
  'undici.Pool': { returns: 'undici.Pool' },
  'undici.Pool.request': AWAIT_NET,
  axios: AWAIT_NET,
  'axios.create': { returns: 'axios' },
  'axios.*': AWAIT_NET,
  'axios.isAxiosError': null,
  'axios.isCancel': null,
  got: AWAIT_NET,
  'got.extend': { returns: 'got' },
  'got.*': AWAIT_NET,
  superagent: AWAIT_NET,
  'superagent.*': AWAIT_NET,
  'ws.WebSocket': { category: 'network', awaitable: true, returns: 'ws.WebSocket' },
  'ws.WebSocket.send': AWAIT_NET,
  WebSocket: { category: 'network', awaitable: true, returns: 'ws.WebSocket' },
  'nodemailer.createTransport': { returns: 'nodemailer.Transport' },
  'nodemailer.Transport.sendMail': AWAIT_NET,
  'sync-request': 'network',
};

/** Databases and caches. */
const databases: CatalogData = {
  'pg.Pool': { returns: 'pg.Pool' },
  'pg.Client': { returns: 'pg.Client' },
  'pg.Pool.*': AWAIT_DB,
  'pg.Pool.on': null,
  'pg.Pool.end': AWAIT_DB,
  'pg.Pool.connect': { category: 'database', awaitable: true, returns: 'pg.Client' },
  'pg.Client.*': AWAIT_DB,
  'pg.Client.on': null,
  'pg.Client.release': null,
  'mysql.createConnection': { returns: 'mysql2.Connection' },
  'mysql.createPool': { returns: 'mysql2.Connection' },
  'mysql2.createConnection': { returns: 'mysql2.Connection' },
  'mysql2.createPool': { returns: 'mysql2.Connection' },
  'mysql2.Connection.*': AWAIT_DB,
  'mysql2.promise.createConnection': { category: 'database', awaitable: true, returns: 'mysql2.promise.Connection' },
  'mysql2.promise.createPool': { returns: 'mysql2.promise.Connection' },
  'mysql2.promise.Connection.*': AWAIT_DB,
  'mongodb.MongoClient': { returns: 'mongodb.MongoClient' },
  'mongodb.MongoClient.connect': { category: 'database', awaitable: true, returns: 'mongodb.MongoClient' },
  'mongodb.MongoClient.db': { returns: 'mongodb.Db' },
  'mongodb.MongoClient.close': AWAIT_DB,
  'mongodb.Db.collection': { returns: 'mongodb.Collection' },
  'mongodb.Db.*': AWAIT_DB,
  'mongodb.Collection.*': AWAIT_DB,
  'mongoose.connect': AWAIT_DB,
  'redis.createClient': { returns: 'redis.Client' },
  'redis.Client.*': AWAIT_DB,
  'redis.Client.on': null,
  ioredis: { returns: 'ioredis' },
  'ioredis.Redis': { returns: 'ioredis' },
  'ioredis.*': AWAIT_DB,
  'ioredis.on': null,
  'sqlite3.Database': { returns: 'sqlite3.Database' },
  'sqlite3.verbose': { returns: 'sqlite3' },
  'sqlite3.Database.*': AWAIT_DB,
  'sqlite3.Database.serialize': null,
  'better-sqlite3': { category: 'database', returns: 'better-sqlite3.Database' },
  'better-sqlite3.Database.prepare': { returns: 'better-sqlite3.Statement' },
  'better-sqlite3.Database.*': 'database',
  'better-sqlite3.Database.close': null,
  'better-sqlite3.Database.transaction': null,
  'better-sqlite3.Statement.*': 'database',
  'better-sqlite3.Statement.bind': null,
};

/** Waiting: timers, the console, atomics, workers' results. */
const waits: CatalogData = {
  // Only inside a Promise executor (`new Promise((r) => setTimeout(r, ms))`) is a timer a
  // wait; the extractor checks that. Elsewhere it schedules a callback and returns.
  setTimeout: { category: 'wait', awaitable: true, inPromiseOnly: true },
  setImmediate: { category: 'wait', awaitable: true, weight: 1, inPromiseOnly: true },
  'timers.promises.setTimeout': { category: 'wait', awaitable: true },
  'timers.promises.setImmediate': { category: 'wait', awaitable: true, weight: 1 },
  'timers.promises.scheduler.wait': { category: 'wait', awaitable: true },
  'util.promisify': null,
  'readline.createInterface': { returns: 'readline.Interface' },
  'readline.Interface.question': { category: 'wait', awaitable: true },
  'readline.promises.createInterface': { returns: 'readline.Interface' },
  'readline-sync.*': 'wait',
  'Atomics.wait': 'wait',
  'Atomics.waitAsync': { category: 'wait', awaitable: true },
  'events.once': { category: 'wait', awaitable: true },
  'worker_threads.Worker': { returns: 'worker_threads.Worker' },
  'worker_threads.Worker.postMessage': { category: 'offload', awaitable: true, weight: 1 },
  'worker_threads.Worker.terminate': null,
  'worker_threads.Worker.unref': null,
  'worker_threads.Worker.on': { category: 'offload', awaitable: true, inPromiseOnly: true },
  'worker_threads.Worker.once': { category: 'offload', awaitable: true, inPromiseOnly: true },
};

/**
 * Worker pools and clusters: the function runs in a worker module, another thread or another
 * process, so awaiting its result is a wait on offloaded work, never CPU on the caller.
 * piscina and tinypool run a worker module's export (`run(data, { name })`); workerpool runs
 * a worker script's registered method by name, or a function it serializes (`exec(fn, args)`:
 * the function runs in a worker, like the callable of a Python pool); `cluster.fork()` starts
 * another process running this same script. Destroying a pool only stops its threads.
 */
const POOL_RESULT = { category: 'offload', awaitable: true } as const;
const pools: CatalogData = {
  piscina: { returns: 'piscina.Piscina' },
  'piscina.Piscina': { returns: 'piscina.Piscina' },
  'piscina.Piscina.run': POOL_RESULT,
  'piscina.Piscina.runTask': POOL_RESULT,
  'piscina.Piscina.destroy': null,
  'piscina.Piscina.close': null,
  tinypool: { returns: 'tinypool.Tinypool' },
  'tinypool.Tinypool': { returns: 'tinypool.Tinypool' },
  'tinypool.Tinypool.run': POOL_RESULT,
  'tinypool.Tinypool.destroy': null,
  'workerpool.pool': { returns: 'workerpool.Pool' },
  'workerpool.Pool.exec': { ...POOL_RESULT, offload: { arg: 0, pool: 'worker' } },
  'workerpool.Pool.proxy': { returns: 'workerpool.Proxy' },
  // A proxy's methods are the worker script's registered functions: each call runs there.
  'workerpool.Proxy.*': POOL_RESULT,
  'workerpool.Pool.terminate': null,
  'workerpool.Pool.stats': null,
  'workerpool.worker': null,
  'workerpool.workerEmit': null,
  'cluster.fork': { returns: 'cluster.Worker' },
  'cluster.Worker.send': { category: 'offload', awaitable: true, weight: 1 },
  'cluster.Worker.on': { category: 'offload', awaitable: true, inPromiseOnly: true },
  'cluster.Worker.once': { category: 'offload', awaitable: true, inPromiseOnly: true },
  'cluster.Worker.kill': null,
  'cluster.Worker.disconnect': null,
  'cluster.on': null,
  'cluster.setupPrimary': null,
  'cluster.setupMaster': null,
};

/** CPU work on the calling thread. */
const cpu: CatalogData = {
  'crypto.pbkdf2Sync': { category: 'hashing', weight: 3 },
  'crypto.scryptSync': { category: 'hashing', weight: 3 },
  'crypto.generateKeyPairSync': { category: 'hashing', weight: 3 },
  'crypto.pbkdf2': THREADPOOL,
  'crypto.scrypt': THREADPOOL,
  'crypto.generateKeyPair': THREADPOOL,
  'crypto.randomBytes': null,
  'crypto.randomUUID': null,
  'crypto.createHash': { returns: 'crypto.Hash' },
  'crypto.createHmac': { returns: 'crypto.Hash' },
  'crypto.hash': 'hashing',
  'crypto.Hash.update': { category: 'hashing', returns: 'crypto.Hash' },
  'crypto.Hash.digest': null,
  'crypto.createCipheriv': { returns: 'crypto.Cipher' },
  'crypto.createDecipheriv': { returns: 'crypto.Cipher' },
  'crypto.Cipher.update': 'hashing',
  'crypto.subtle.*': THREADPOOL,
  'bcrypt.hashSync': { category: 'hashing', weight: 3 },
  'bcrypt.compareSync': { category: 'hashing', weight: 3 },
  'bcrypt.hash': THREADPOOL,
  'bcrypt.compare': THREADPOOL,
  'bcryptjs.hashSync': { category: 'hashing', weight: 3 },
  'bcryptjs.compareSync': { category: 'hashing', weight: 3 },
  'zlib.gzipSync': 'compression',
  'zlib.gunzipSync': 'compression',
  'zlib.deflateSync': 'compression',
  'zlib.inflateSync': 'compression',
  'zlib.deflateRawSync': 'compression',
  'zlib.inflateRawSync': 'compression',
  'zlib.brotliCompressSync': 'compression',
  'zlib.brotliDecompressSync': 'compression',
  'zlib.unzipSync': 'compression',
  'zlib.gzip': THREADPOOL,
  'zlib.gunzip': THREADPOOL,
  'zlib.deflate': THREADPOOL,
  'zlib.inflate': THREADPOOL,
  'zlib.brotliCompress': THREADPOOL,
  'zlib.brotliDecompress': THREADPOOL,
  'zlib.unzip': THREADPOOL,
  'JSON.parse': { category: 'serialization', weight: 1 },
  'JSON.stringify': { category: 'serialization', weight: 1 },
  structuredClone: { category: 'serialization', weight: 1 },
  'v8.serialize': { category: 'serialization', weight: 1 },
  'v8.deserialize': { category: 'serialization', weight: 1 },
  sharp: { returns: 'sharp' },
  'sharp.*': { returns: 'sharp' },
  'sharp.toBuffer': THREADPOOL,
  'sharp.toFile': THREADPOOL,
};

/** The whole JavaScript/TypeScript catalog. */
export const JAVASCRIPT_CATALOG: CatalogData = { ...fs, ...processes, ...network, ...databases, ...waits, ...pools, ...cpu };
