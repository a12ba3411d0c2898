/** Command-line options of the analysis benchmark (the parent's and the children's). */
import { parseArgs } from 'node:util';
import { CORPORA, type CorpusName } from './corpora';
import { QUICK_FILES } from './corpus';
import { TOOLS, type ToolName } from './engines';

/** Long enough for V8 to finish tiering up Ruff's wasm on the full corpus. */
export const DEFAULT_WARMUP_SECONDS = 5;
/** --quick is a smoke test: its figures are not the ones to quote. */
const QUICK_WARMUP_SECONDS = 1;

export const USAGE = `Usage: npm run bench:analyze -- [options]
  --repeats N     timed repeats per tool (default 3)
  --warmup S      untimed passes for at least S seconds first (default ${DEFAULT_WARMUP_SECONDS}, ${QUICK_WARMUP_SECONDS} with --quick)
  --quick         a ${QUICK_FILES}-file subset of each corpus (async code first) for a fast smoke test
  --limit N       only the first N files of each corpus (after --quick, if given)
  --corpus NAME   python (the stdlib, against Ruff), js (npm packages, against ESLint +
                  eslint-plugin-n no-sync) or all (default: python, then js)
  --tools LIST    any of ours,ruff,eslint,parse (default all; each corpus runs those that apply;
                  parse = tree-sitter alone, a reference)
  --zip PATH      another python_stdlib.zip-like archive of .py files (python corpus)
  --json          text report on stderr, JSON summary on stdout (with --corpus all:
                  { "version": 1, "python": summary, "js": summary })
Internal: --measure TOOL --corpus NAME --out FILE runs one tool and writes its measurement.`;

export interface Options {
  repeats: number;
  warmupSeconds: number;
  quick: boolean;
  limit?: number;
  tools: ToolName[];
  /** The corpora to measure, in order. In a child: the one corpus it loads. */
  corpora: CorpusName[];
  zip?: string;
  json: boolean;
  help: boolean;
  /** Set in a child: the tool to measure and the file to write the measurement to. */
  measure?: ToolName;
  out?: string;
}

function positiveInteger(name: string, value: string | undefined, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} needs a positive integer, got "${value}"`);
  return n;
}

function seconds(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} needs a number of seconds, got "${value}"`);
  return n;
}

function corpora(value: string | undefined): CorpusName[] {
  if (value === undefined || value === 'all') return [...CORPORA];
  if (!(CORPORA as readonly string[]).includes(value)) throw new Error(`unknown corpus "${value}" (expected ${CORPORA.join(', ')} or all)`);
  return [value as CorpusName];
}

function tool(value: string): ToolName {
  if (!(TOOLS as readonly string[]).includes(value)) throw new Error(`unknown tool "${value}" (expected ${TOOLS.join(' or ')})`);
  return value as ToolName;
}

export function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      repeats: { type: 'string' },
      warmup: { type: 'string' },
      quick: { type: 'boolean', default: false },
      limit: { type: 'string' },
      tools: { type: 'string' },
      corpus: { type: 'string' },
      zip: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      measure: { type: 'string' },
      out: { type: 'string' },
    },
  });
  return {
    repeats: positiveInteger('repeats', values.repeats, 3)!,
    warmupSeconds: seconds('warmup', values.warmup, values.quick ? QUICK_WARMUP_SECONDS : DEFAULT_WARMUP_SECONDS),
    quick: values.quick,
    limit: positiveInteger('limit', values.limit),
    tools: values.tools ? values.tools.split(',').map((t) => tool(t.trim())) : [...TOOLS],
    corpora: corpora(values.corpus),
    zip: values.zip,
    json: values.json,
    help: values.help,
    measure: values.measure === undefined ? undefined : tool(values.measure),
    out: values.out,
  };
}

/** The arguments a child needs to load exactly the same corpus as its siblings. */
export function childArguments(options: Options, corpus: CorpusName, tool: ToolName, out: string): string[] {
  const args = ['--measure', tool, '--corpus', corpus, '--out', out, '--repeats', String(options.repeats), '--warmup', String(options.warmupSeconds)];
  if (options.quick) args.push('--quick');
  if (options.limit !== undefined) args.push('--limit', String(options.limit));
  if (options.zip) args.push('--zip', options.zip);
  return args;
}
