/**
 * SARIF 2.1.0 output of `concurrency-lens analyze --format sarif`, for code-scanning tools.
 *
 * One run, one rule per diagnostic code, one result per diagnostic (with its quick fixes as
 * SARIF fixes), and a tool-execution notification per file that could not be analyzed.
 * Artifact URIs are relative to `%SRCROOT%`, the folder the CLI ran in, whose absolute
 * `file:` URI is recorded in `originalUriBaseIds`. Lines and columns pass through unchanged:
 * ours and SARIF's are both 1-based with columns in UTF-16 code units (`columnKind`).
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, DiagnosticCode, FileResult, Fix, Severity, Span } from '../core/model';

/** Options of {@link formatSarif}. */
export interface SarifFormatOptions {
  /** The extension's version (package.json), a semantic version. */
  toolVersion: string;
  /** The folder paths are made relative to; becomes `%SRCROOT%`. */
  cwd: string;
}

/** Where the tool is described (its Marketplace page, from package.json's publisher and name). */
export const INFORMATION_URI = 'https://marketplace.visualstudio.com/items?itemName=concurrency-lens.concurrency-lens';
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SRCROOT = '%SRCROOT%';

type SarifLevel = 'none' | 'note' | 'warning' | 'error';

interface SarifMessage {
  text: string;
}
interface SarifArtifactLocation {
  uri: string;
  uriBaseId?: string;
}
interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}
interface SarifLocation {
  physicalLocation: { artifactLocation: SarifArtifactLocation; region?: SarifRegion };
  logicalLocations?: { fullyQualifiedName: string; kind: string }[];
}
interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: SarifMessage;
  defaultConfiguration: { level: SarifLevel };
}
interface SarifFix {
  description: SarifMessage;
  artifactChanges: {
    artifactLocation: SarifArtifactLocation;
    replacements: { deletedRegion: SarifRegion; insertedContent?: { text: string } }[];
  }[];
}
interface SarifResult {
  ruleId: DiagnosticCode;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: SarifLocation[];
  fixes?: SarifFix[];
  properties: { severity: Severity };
}
interface SarifNotification {
  level: SarifLevel;
  message: SarifMessage;
  locations: SarifLocation[];
}
/** The part of a SARIF log this formatter writes. */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: {
    tool: {
      driver: { name: string; informationUri: string; semanticVersion: string; version: string; rules: SarifRule[] };
    };
    invocations: { executionSuccessful: boolean; toolExecutionNotifications: SarifNotification[] }[];
    originalUriBaseIds: Record<string, { uri: string; description?: SarifMessage }>;
    columnKind: 'utf16CodeUnits';
    results: SarifResult[];
  }[];
}

interface RuleText {
  name: string;
  short: string;
  full: string;
  help: string;
}

/**
 * One rule per diagnostic code, in code order. The product reports every code as a hint or
 * information by default, so the default SARIF level is `note`.
 */
const RULE_TEXT: Record<DiagnosticCode, RuleText> = {
  CL101: {
    name: 'BlockingIoInAsyncFunction',
    short: 'Blocking I/O call inside an async function.',
    full:
      'A call that blocks its thread while it waits on I/O (network, files, a subprocess, a database, a sleep) runs ' +
      'inside an async function. While it waits, the event loop runs nothing else: every other task, request and ' +
      'timer stalls.',
    help:
      'Use the awaitable equivalent (await asyncio.sleep, an async HTTP client such as httpx.AsyncClient or aiohttp, ' +
      'fs.promises.readFile, a promisified execFile), or move the blocking call off the event loop with ' +
      'await asyncio.to_thread(...) or loop.run_in_executor(...) in Python.',
  },
  CL102: {
    name: 'CpuWorkInAsyncFunction',
    short: 'CPU-heavy work inside an async function blocks the event loop.',
    full:
      'CPU-bound work (hashing, compression, parsing, numeric loops) runs inside an async function, on the event ' +
      'loop thread. Until it finishes, no other task makes progress.',
    help:
      'Run it elsewhere and await the result: in Python, loop.run_in_executor with a ProcessPoolExecutor for ' +
      'pure-Python work (threads do not run Python bytecode in parallel under the GIL), or asyncio.to_thread for ' +
      'native code that releases the GIL (hashlib, zlib, many numpy calls); in Node.js, a worker_threads Worker.',
  },
  CL201: {
    name: 'CpuWorkInThreadPool',
    short: 'Pure-Python CPU work submitted to a thread pool.',
    full:
      'A function that computes in the interpreter runs in a thread pool (ThreadPoolExecutor, asyncio.to_thread, ' +
      'run_in_executor with the default executor). Under the GIL only one thread runs Python bytecode at a time, so ' +
      'the pool adds overhead without a speed-up (free-threaded 3.13t/3.14t builds excepted).',
    help:
      'Use a ProcessPoolExecutor instead (keep the start-up code under if __name__ == "__main__": and make the ' +
      'arguments and results picklable), or an InterpreterPoolExecutor on Python 3.14. Keep threads for I/O and for ' +
      'native code that releases the GIL.',
  },
  CL202: {
    name: 'SequentialCpuLoop',
    short: 'Loop of independent pure-Python CPU calls run one after another.',
    full:
      'Each iteration of this loop calls a function that computes in the interpreter, and no iteration needs ' +
      'another\'s result, so the calls run one after another on one core. Threads would not help under the GIL; ' +
      'native work that releases it (hashlib, zlib, numpy) is not reported.',
    help:
      'Run the calls in parallel processes with ProcessPoolExecutor.map (a module-level function, picklable items ' +
      'and results, the program\'s entry point under if __name__ == "__main__":), distribute them with Dask ' +
      '(client.map) or Ray (ray.remote) when one machine is not enough and each call is long enough to pay for ' +
      'scheduling and data transfer, or use a thread pool on a free-threaded Python (3.13t/3.14t).',
  },
  CL301: {
    name: 'SequentialBlockingIoLoop',
    short: 'Loop of independent blocking I/O calls that could run concurrently.',
    full:
      'Each iteration of this loop waits on a blocking I/O call whose result the next iteration does not need, so ' +
      'the waits add up one after another.',
    help:
      'Run the calls concurrently: ThreadPoolExecutor.map (results keep the input order; an exception is raised when ' +
      'its result is read) or, in async code, asyncio.gather or a TaskGroup with the async version of the call. ' +
      'Bound the number of workers if the other side cannot take every request at once.',
  },
  CL302: {
    name: 'SequentialAwaitsInLoop',
    short: 'Sequential independent awaits in a loop.',
    full:
      'Each iteration awaits an operation that does not depend on the previous one, so the operations run one at a ' +
      'time instead of overlapping.',
    help:
      'Start them all, then await them together: Promise.all (Promise.allSettled to keep going past failures) in ' +
      'JavaScript and TypeScript, asyncio.gather or a TaskGroup in Python. Bound the concurrency if the other side ' +
      'cannot take every request at once.',
  },
};

const RULE_IDS = Object.keys(RULE_TEXT).sort() as DiagnosticCode[];

const LEVEL: Record<Severity, SarifLevel> = { warning: 'warning', information: 'note', hint: 'note' };

/** The rule descriptors of every diagnostic code, in code order. */
export function sarifRules(): SarifRule[] {
  return RULE_IDS.map((id) => {
    const text = RULE_TEXT[id];
    return {
      id,
      name: text.name,
      shortDescription: { text: text.short },
      fullDescription: { text: text.full },
      help: { text: text.help },
      defaultConfiguration: { level: 'note' },
    };
  });
}

/**
 * Where a file is, as a SARIF artifact location: a relative URI under `%SRCROOT%` (forward
 * slashes, each segment percent-encoded) when the file is inside `cwd`, else an absolute
 * `file:` URI.
 */
export function artifactLocation(filePath: string, cwd: string): SarifArtifactLocation {
  const absolute = path.resolve(cwd, filePath);
  const relative = path.relative(path.resolve(cwd), absolute);
  const outside = relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  if (outside) return { uri: pathToFileURL(absolute).href };
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** The `file:` URI of a folder, with the trailing slash SARIF requires of a base URI. */
function folderUri(folder: string): string {
  const href = pathToFileURL(path.resolve(folder)).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function region(span: Span): SarifRegion {
  return { startLine: span.line, startColumn: span.column, endLine: span.endLine, endColumn: span.endColumn };
}

function sarifFix(fix: Fix, location: SarifArtifactLocation): SarifFix {
  return {
    description: { text: fix.title },
    artifactChanges: [
      {
        artifactLocation: location,
        replacements: fix.edits.map((edit) =>
          edit.newText === ''
            ? { deletedRegion: region(edit) }
            : { deletedRegion: region(edit), insertedContent: { text: edit.newText } },
        ),
      },
    ],
  };
}

function sarifResult(diagnostic: Diagnostic, location: SarifArtifactLocation): SarifResult {
  const result: SarifResult = {
    ruleId: diagnostic.code,
    ruleIndex: RULE_IDS.indexOf(diagnostic.code),
    level: LEVEL[diagnostic.severity],
    message: { text: diagnostic.message },
    locations: [
      {
        physicalLocation: { artifactLocation: location, region: region(diagnostic) },
        logicalLocations: [{ fullyQualifiedName: diagnostic.functionName, kind: 'function' }],
      },
    ],
    properties: { severity: diagnostic.severity },
  };
  // A fix with no edits changes nothing; SARIF also requires at least one replacement.
  const fixes = diagnostic.fixes.filter((fix) => fix.edits.length > 0);
  if (fixes.length > 0) result.fixes = fixes.map((fix) => sarifFix(fix, location));
  return result;
}

/**
 * Formats analysis results as a SARIF 2.1.0 log (a plain object for `JSON.stringify`).
 * Files reported with an `error` become error notifications of the invocation, whose
 * `executionSuccessful` is then false: the analysis went on but is incomplete.
 */
export function formatSarif(results: FileResult[], options: SarifFormatOptions): SarifLog {
  const sarifResults: SarifResult[] = [];
  const notifications: SarifNotification[] = [];
  for (const file of results) {
    const location = artifactLocation(file.path, options.cwd);
    if (file.error !== undefined) {
      notifications.push({
        level: 'error',
        message: { text: `${file.path}: ${file.error}` },
        locations: [{ physicalLocation: { artifactLocation: location } }],
      });
    }
    for (const diagnostic of file.diagnostics) sarifResults.push(sarifResult(diagnostic, location));
  }
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Concurrency Lens',
            informationUri: INFORMATION_URI,
            semanticVersion: options.toolVersion,
            version: options.toolVersion,
            rules: sarifRules(),
          },
        },
        invocations: [{ executionSuccessful: notifications.length === 0, toolExecutionNotifications: notifications }],
        originalUriBaseIds: {
          [SRCROOT]: { uri: folderUri(options.cwd), description: { text: 'The folder the analysis ran in.' } },
        },
        columnKind: 'utf16CodeUnits',
        results: sarifResults,
      },
    ],
  };
}
