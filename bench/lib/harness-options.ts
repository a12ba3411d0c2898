/** Command-line options of the harness calibration benchmark (bench/harness.ts). */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** Debian's interpreter, where python3-distributed installs dask.distributed. */
const DEBIAN_PYTHON = '/usr/bin/python3';

export const HARNESS_USAGE = `Usage: npm run bench:harness -- [options]
  --python PATH   a Python interpreter to calibrate (repeatable; default python3), e.g.
                  --python "$(pyenv root)/versions/3.8.18/bin/python" --python python3
  --node PATH     the Node.js for the JavaScript cases (default: the one running this script)
  --language L    python, javascript or all (default all)
  --tasks N       calls per batch (default 8)
  --workers W     pool size for threads, processes and worker threads (default 2)
  --samples N     timed samples per strategy (default 5, at least 5)
  --target S      minimum seconds per sample (default 0.6: a VM's CPU speed wanders, and longer
                  samples average it out; 0.05 with --quick)
  --wait-quiet S  before each measurement, wait up to S seconds (default 0) for a second in
                  which other processes use less than 0.2 CPUs (a machine shared with others)
  --dask PATH     the Python whose dask.distributed runs the "scaling out" part (the CPU loop and
                  the wait under processes and a local Dask cluster); default /usr/bin/python3
                  (Debian's python3-distributed) when it exists; --dask none leaves the part out
  --quick         short samples, shorter waits and a short baseline: a smoke test, not figures to quote
  --json          the text report on stderr, the JSON summary on stdout
Exit code 0 when every figure was measured (PASS or MISS alike: a benchmark, not a test);
2 when an option is wrong or a run failed.`;

export interface HarnessOptions {
  pythons: string[];
  node?: string;
  languages: Array<'python' | 'javascript'>;
  tasks: number;
  workers: number;
  samples: number;
  targetSeconds: number;
  /** The Python of the scaling-out part (Dask); unset: the part is left out. */
  dask?: string;
  /** Seconds to wait, before each measurement, for other processes to leave the CPUs alone. */
  waitQuietSeconds: number;
  quick: boolean;
  json: boolean;
  help: boolean;
}

function whole(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} needs a whole number of at least ${min}, got "${value}"`);
  return n;
}

export function parseHarnessOptions(argv: string[]): HarnessOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      python: { type: 'string', multiple: true },
      node: { type: 'string' },
      language: { type: 'string' },
      tasks: { type: 'string' },
      workers: { type: 'string' },
      samples: { type: 'string' },
      target: { type: 'string' },
      'wait-quiet': { type: 'string' },
      dask: { type: 'string' },
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const language = values.language ?? 'all';
  if (!['python', 'javascript', 'all'].includes(language)) throw new Error(`--language must be python, javascript or all, got "${language}"`);
  let targetSeconds = values.quick ? 0.05 : 0.6;
  if (values.target !== undefined) {
    targetSeconds = Number(values.target);
    if (!Number.isFinite(targetSeconds) || targetSeconds <= 0) throw new Error(`--target needs a number of seconds, got "${values.target}"`);
  }
  const waitQuiet = values['wait-quiet'] === undefined ? 0 : Number(values['wait-quiet']);
  if (!Number.isFinite(waitQuiet) || waitQuiet < 0) throw new Error(`--wait-quiet needs a number of seconds, got "${values['wait-quiet']}"`);
  return {
    pythons: values.python?.length ? values.python : ['python3'],
    node: values.node,
    languages: language === 'all' ? ['python', 'javascript'] : [language as 'python' | 'javascript'],
    tasks: whole('tasks', values.tasks, 8, 1),
    workers: whole('workers', values.workers, 2, 1),
    samples: whole('samples', values.samples, 5, 5),
    targetSeconds,
    waitQuietSeconds: waitQuiet,
    ...(values.dask === 'none' ? {} : values.dask !== undefined ? { dask: values.dask } : existsSync(DEBIAN_PYTHON) ? { dask: DEBIAN_PYTHON } : {}),
    quick: values.quick,
    json: values.json,
    help: values.help,
  };
}
