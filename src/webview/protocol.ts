/**
 * The Benchmarks view's message protocol, both directions, and the runtime checks each side runs
 * on what arrives. A webview is a browser page: whatever it posts is untrusted input (a bug, a
 * compromised page), and the host's messages reach it through the same channel, so neither side
 * acts on a message before it has been checked here.
 *
 * Pure: no `vscode`, no DOM. The extension (src/extension/bench-panel.ts) and the webview
 * (src/webview/main.ts) both import it.
 */
import type { BenchRecord } from '../extension/bench-history';

/** Export formats: Markdown (a table per run) or JSON (the runs' CLI reports). */
export type ExportFormat = 'markdown' | 'json';

/** Messages the webview posts to the extension. */
export type WebviewMessage =
  /** The page has loaded and listens: send it the history. */
  | { type: 'ready' }
  /** Save the runs of the function `key` (every function when absent) in `format`. */
  | { type: 'export'; format: ExportFormat; key?: string }
  /** Open the function of the run `id` in an editor. */
  | { type: 'reveal'; id: string };

/** Messages the extension posts to the webview. */
export type HostMessage =
  /**
   * Every run kept, oldest first. When the newest run is one the webview has not seen yet (a
   * run has just finished), it selects that run's function; otherwise it keeps its selection.
   */
  | { type: 'history'; records: BenchRecord[] }
  /** The outcome of an export, shown in the view's status line. */
  | { type: 'exported'; ok: boolean; message: string };

/** Longest function key or run id accepted from the webview (keys are paths plus a name). */
export const MAX_ID_LENGTH = 4096;
/** Longest status text accepted from the extension. */
export const MAX_STATUS_LENGTH = 2000;

/** A check's outcome: the message, or why it was refused (for the log). */
export type Checked<T> = { ok: true; message: T } | { ok: false; reason: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The fields beyond `allowed`, so a message with extra fields is refused rather than half read. */
function extraFields(value: Record<string, unknown>, allowed: readonly string[]): string[] {
  return Object.keys(value).filter((k) => !allowed.includes(k));
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `a string of ${value.length} characters` : typeof value;
}

/** A short, printable rendering of an untrusted value for the log (never the whole thing). */
function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : describeType(value);
  const printable = text.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}

function idField(value: Record<string, unknown>, name: string): string | { reason: string } {
  const field = value[name];
  if (typeof field !== 'string') return { reason: `'${name}' is ${describeType(field)}, not a string` };
  if (field.length === 0) return { reason: `'${name}' is empty` };
  if (field.length > MAX_ID_LENGTH) return { reason: `'${name}' is longer than ${MAX_ID_LENGTH} characters` };
  return field;
}

/** Checks a message from the webview: a known type, the fields of that type and no others, bounded strings. */
export function checkWebviewMessage(value: unknown): Checked<WebviewMessage> {
  if (!isPlainObject(value)) return { ok: false, reason: `the message is ${describeType(value)}, not an object` };
  const type = value.type;
  const refuse = (reason: string): Checked<WebviewMessage> => ({ ok: false, reason: `${typeof type === 'string' ? `'${preview(type)}': ` : ''}${reason}` });
  if (typeof type !== 'string') return refuse(`'type' is ${describeType(type)}, not a string`);
  switch (type) {
    case 'ready': {
      const extra = extraFields(value, ['type']);
      return extra.length ? refuse(`unexpected field(s) ${extra.map(preview).join(', ')}`) : { ok: true, message: { type } };
    }
    case 'export': {
      const extra = extraFields(value, ['type', 'format', 'key']);
      if (extra.length) return refuse(`unexpected field(s) ${extra.map(preview).join(', ')}`);
      const format = value.format;
      if (format !== 'markdown' && format !== 'json') return refuse(`'format' must be 'markdown' or 'json', not ${preview(format)}`);
      if (!('key' in value)) return { ok: true, message: { type, format } };
      const key = idField(value, 'key');
      return typeof key === 'string' ? { ok: true, message: { type, format, key } } : refuse(key.reason);
    }
    case 'reveal': {
      const extra = extraFields(value, ['type', 'id']);
      if (extra.length) return refuse(`unexpected field(s) ${extra.map(preview).join(', ')}`);
      const id = idField(value, 'id');
      return typeof id === 'string' ? { ok: true, message: { type, id } } : refuse(id.reason);
    }
    default:
      return { ok: false, reason: `unknown message type '${preview(type)}'` };
  }
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isString = (v: unknown): v is string => typeof v === 'string';

function isStats(v: unknown): boolean {
  return isPlainObject(v) && isNumber(v.median) && isNumber(v.min) && isNumber(v.max);
}

const optional = (v: unknown, check: (v: unknown) => boolean): boolean => v === undefined || check(v);

function isStrategyResult(v: unknown): boolean {
  return (
    isPlainObject(v) &&
    isString(v.strategy) &&
    isStats(v.wallSeconds) &&
    isStats(v.cpuSeconds) &&
    isNumber(v.speedup) &&
    isNumber(v.runs) &&
    isNumber(v.cpuRatio) &&
    optional(v.spread, isNumber) &&
    optional(v.inconclusive, (x) => typeof x === 'boolean') &&
    optional(v.startupSeconds, isNumber) &&
    optional(v.cpuWaitSeconds, isNumber) &&
    optional(v.wallCpuRatio, isNumber) &&
    optional(v.method, isString)
  );
}

const VERDICTS = ['io', 'cpu', 'mixed'];
const KINDS = ['io', 'cpu', 'mixed', 'neither'];

/**
 * The record has every field the view reads, of the right type. The store keeps whatever an
 * older or newer version wrote; the view shows only what it can read, and drops the rest.
 */
export function isShowableRecord(value: unknown): value is BenchRecord {
  if (!isPlainObject(value)) return false;
  const report = value.report;
  if (!(isString(value.id) && isString(value.key) && isString(value.uri) && isString(value.name) && isString(value.args) && isNumber(value.at) && isString(value.advice))) {
    return false;
  }
  if (!isPlainObject(report)) return false;
  return (
    report.version === 1 &&
    isString(report.function) &&
    isString(report.language) &&
    isNumber(report.tasks) &&
    isNumber(report.workers) &&
    Array.isArray(report.results) &&
    report.results.length > 0 &&
    report.results.every(isStrategyResult) &&
    isNumber(report.cpuRatio) &&
    VERDICTS.includes(report.verdict as string) &&
    KINDS.includes(report.static as string) &&
    isString(report.file) &&
    optional(report.line, isNumber) &&
    optional(report.inconclusive, (x) => typeof x === 'boolean') &&
    optional(report.staticConfidence, isString) &&
    optional(report.samples, isNumber) &&
    optional(report.firstCallSeconds, isNumber) &&
    optional(report.environment, isPlainObject) &&
    optional(report.skipped, Array.isArray)
  );
}

/**
 * Checks a message from the extension. A history keeps the records that can be shown and
 * reports how many were dropped (the view says so rather than failing).
 */
export function checkHostMessage(value: unknown): Checked<HostMessage> & { dropped?: number } {
  if (!isPlainObject(value)) return { ok: false, reason: `the message is ${describeType(value)}, not an object` };
  if (value.type === 'history') {
    if (!Array.isArray(value.records)) return { ok: false, reason: `'records' is ${describeType(value.records)}, not an array` };
    const records = value.records.filter(isShowableRecord);
    return { ok: true, message: { type: 'history', records }, dropped: value.records.length - records.length };
  }
  if (value.type === 'exported') {
    if (typeof value.ok !== 'boolean' || !isString(value.message)) return { ok: false, reason: "'exported' needs a boolean 'ok' and a string 'message'" };
    return { ok: true, message: { type: 'exported', ok: value.ok, message: value.message.slice(0, MAX_STATUS_LENGTH) } };
  }
  return { ok: false, reason: `unknown message type '${preview(value.type)}'` };
}
