/**
 * Hand-built analysis results shared by the formatter tests: what the analyzer reports for a
 * small Python project, written out so the formatters are tested on their own.
 */
import type { Evidence, FileResult, FunctionResult } from '../../src/core/model';

/** A folder name with a space and a file name with a non-ASCII character. */
export const NET_PATH = 'src/my app/données.py';

function evidence(partial: Partial<Evidence> & Pick<Evidence, 'call' | 'category'>, path = NET_PATH): Evidence {
  const line = partial.span?.line ?? 1;
  return {
    span: { line, column: 5, endLine: line, endColumn: 20 },
    blocking: false,
    weight: 3,
    via: [],
    origin: { path, line, column: 5 },
    ...partial,
  };
}

function fn(partial: Partial<FunctionResult> & Pick<FunctionResult, 'name' | 'line' | 'kind'>): FunctionResult {
  return {
    endLine: partial.line + 5,
    nameSpan: { line: partial.line, column: 5, endLine: partial.line, endColumn: 5 + partial.name.length },
    async: false,
    confidence: 'high',
    evidence: [],
    params: [],
    ...partial,
  };
}

/**
 * ```python
 * 1  import hashlib, requests
 * ...
 * 8  def get_json(url):
 * 9      return requests.get(url).json()
 * ...
 * 12 async def fetch_all(urls):
 * 13     out = []
 * 14     for url in urls:
 * 15         out.append(get_json(url))
 * ...
 * 20 def checksum(rows):
 * 21     for row in rows:
 * 22         for cell in row: ...
 * 30 def sync_and_hash(url): requests.get + hashlib.sha256
 * 40 def name_of(x): return x.name
 * ```
 */
export function pythonProject(): FileResult[] {
  const getJsonCall = evidence({
    span: { line: 9, column: 12, endLine: 9, endColumn: 29 },
    call: 'requests.get',
    category: 'network',
    blocking: true,
    origin: { path: NET_PATH, line: 9, column: 12 },
  });
  return [
    {
      path: NET_PATH,
      language: 'python',
      functions: [
        fn({ name: 'get_json', line: 8, kind: 'io', evidence: [getJsonCall], params: ['url'] }),
        fn({
          name: 'fetch_all',
          line: 12,
          kind: 'io',
          async: true,
          params: ['urls'],
          evidence: [
            evidence({
              span: { line: 15, column: 20, endLine: 15, endColumn: 33 },
              call: 'requests.get',
              category: 'network',
              blocking: true,
              via: ['get_json'],
              origin: { path: NET_PATH, line: 9, column: 12 },
            }),
          ],
        }),
        fn({
          name: 'checksum',
          line: 20,
          kind: 'cpu',
          confidence: 'medium',
          params: ['rows'],
          evidence: [
            evidence({ span: { line: 21, column: 5, endLine: 23, endColumn: 30 }, call: 'nested loops', category: 'nested-loops', weight: 2 }),
            evidence({ span: { line: 24, column: 12, endLine: 24, endColumn: 40 }, call: 'hashlib.sha256', category: 'hashing' }),
          ],
        }),
        fn({
          name: 'sync_and_hash',
          line: 30,
          kind: 'mixed',
          confidence: 'medium',
          evidence: [
            evidence({ span: { line: 31, column: 12, endLine: 31, endColumn: 29 }, call: 'requests.get', category: 'network', blocking: true }),
            evidence({ span: { line: 32, column: 12, endLine: 32, endColumn: 40 }, call: 'hashlib.sha256', category: 'hashing' }),
            evidence({ span: { line: 33, column: 5, endLine: 34, endColumn: 20 }, call: 'loop', category: 'loops', weight: 1 }),
          ],
        }),
        fn({ name: 'Record.name_of', line: 40, kind: 'neither', confidence: 'low' }),
      ],
      diagnostics: [
        {
          code: 'CL101',
          line: 15,
          column: 20,
          endLine: 15,
          endColumn: 33,
          severity: 'warning',
          message: 'get_json(url) blocks the event loop: it calls requests.get (network I/O)',
          functionName: 'fetch_all',
          fixes: [
            {
              title: 'Run get_json in a worker thread with await asyncio.to_thread (exceptions still propagate here)',
              preferred: true,
              edits: [
                { line: 15, column: 20, endLine: 15, endColumn: 33, newText: 'await asyncio.to_thread(get_json, url)' },
                { line: 1, column: 1, endLine: 1, endColumn: 1, newText: 'import asyncio\n' },
              ],
            },
          ],
        },
        {
          code: 'CL301',
          line: 14,
          column: 5,
          endLine: 15,
          endColumn: 34,
          severity: 'hint',
          message: 'Each iteration waits on get_json(url) independently; the calls could run concurrently',
          functionName: 'fetch_all',
          fixes: [],
        },
      ],
    },
    {
      path: 'src/cpu.py',
      language: 'python',
      syntaxErrors: 2,
      functions: [
        fn({
          name: 'crunch',
          line: 3,
          kind: 'cpu',
          evidence: [evidence({ span: { line: 4, column: 5, endLine: 6, endColumn: 10 }, call: 'nested loops', category: 'nested-loops' }, 'src/cpu.py')],
        }),
      ],
      diagnostics: [
        {
          code: 'CL201',
          line: 9,
          column: 5,
          endLine: 9,
          endColumn: 38,
          severity: 'information',
          message: 'crunch is pure-Python CPU work: a thread pool gives no speed-up under the GIL',
          functionName: 'main',
          fixes: [],
        },
      ],
    },
    { path: 'src/locked.py', language: 'python', functions: [], diagnostics: [], error: 'EACCES: permission denied' },
    { path: 'src/empty.py', language: 'python', functions: [], diagnostics: [] },
  ];
}
