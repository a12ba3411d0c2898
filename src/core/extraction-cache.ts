/**
 * Facts per file, kept between runs: the editor re-analyzes a folder on every pause in typing,
 * and only the edited file's text changed. A file is extracted again only when its text (or the
 * options) differ from the last run's; the rest reuse their facts. Propagation still runs over
 * every file: a helper's new verdict reaches its callers in other files.
 *
 * Files whose text changed keep their parse (a few, most recently edited first), so the next
 * edit parses incrementally, copies only the changed top-level nodes out of WebAssembly, reuses
 * the facts of the statements it did not touch (Python), and their quick fixes start from a
 * tree already made. A Python edit inside one top-level statement parses that statement alone;
 * the tree kept then is stale until the quick fixes' check parses it (see RetainedParse.stale).
 */
import { Extractor, extractOptionsOf, type Extracted, type ExtractOptions, type RetainedParse, type ReuseSteps } from './extract-file';
import type { SourceFile } from './model';
import { extractAll, workerCount } from './parallel';

/**
 * Parses kept for edited files: the documents being typed in, not the whole workspace (a
 * 5,000-line file's parse is a few MB between its tree and its copy).
 */
const RETAINED_PARSES = 4;

interface Entry {
  text: string;
  extracted: Extracted;
}

/** Options that change extraction, as one comparable key. */
function optionsKey(options: ExtractOptions): string {
  return JSON.stringify(extractOptionsOf(options));
}

/** Extraction results by path and text, reused across runs. */
export class ExtractionCache {
  private readonly entries = new Map<string, Entry>();
  /** Kept parses by path, least recently used first. */
  private readonly parses = new Map<string, RetainedParse>();
  private key = '';
  private extractor: Extractor | undefined;
  private disposed = false;

  /** `reuse`: see {@link Extractor}'s (benchmarks turn steps off to measure them). */
  constructor(private readonly reuse?: ReuseSteps) {}
  /** Where the last edited file's extraction spent its time (see {@link Extractor.lastTimings}). */
  get lastTimings(): Extractor['lastTimings'] | undefined {
    return this.extractor?.lastTimings;
  }

  /**
   * The facts of every file, in order: reused when the path's text is the one extracted last
   * time, extracted otherwise (edited files here, incrementally; many new files on worker
   * threads when there are enough of them). Files absent from `files` are forgotten.
   */
  async extract(files: readonly SourceFile[], options: ExtractOptions & { workers?: number }): Promise<Extracted[]> {
    if (this.disposed) throw new Error('the extraction cache was disposed');
    const key = optionsKey(options);
    if (key !== this.key) {
      this.clear();
      this.key = key;
      this.extractor = new Extractor(options, this.reuse);
    }
    const results: Extracted[] = new Array<Extracted>(files.length);
    const fresh: number[] = [];
    const edited: number[] = [];
    files.forEach((file, i) => {
      const entry = this.entries.get(file.path);
      if (entry?.text === file.text) results[i] = entry.extracted;
      else if (entry) edited.push(i);
      else fresh.push(i);
    });
    for (const i of edited) results[i] = await this.reextract(files[i]);
    if (fresh.length > 0) {
      const newFiles = fresh.map((i) => files[i]);
      const extracted = await extractAll(newFiles, options, workerCount(newFiles, options.workers));
      fresh.forEach((i, n) => (results[i] = extracted[n]));
    }
    const wanted = new Set(files.map((f) => f.path));
    for (const path of [...this.entries.keys()]) if (!wanted.has(path)) this.forget(path);
    files.forEach((file, i) => this.entries.set(file.path, { text: file.text, extracted: results[i] }));
    return results;
  }

  /** The kept parse of this exact text of a file, if any (its tree belongs to the cache: copy it to keep it). */
  parseOf(path: string, text: string): RetainedParse | undefined {
    const parse = this.parses.get(path);
    return parse?.text === text ? parse : undefined;
  }

  /** A file whose text changed: parsed from its kept parse when there is one, and kept. */
  private async reextract(file: SourceFile): Promise<Extracted> {
    const previous = this.parses.get(file.path);
    this.parses.delete(file.path);
    try {
      const { extracted, parse } = await this.extractor!.extractRetaining(file, previous);
      if (parse && this.disposed) parse.tree.delete();
      else if (parse) {
        this.parses.set(file.path, parse);
        while (this.parses.size > RETAINED_PARSES) this.dropParse(this.parses.keys().next().value!);
      }
      return extracted;
    } finally {
      previous?.tree.delete();
    }
  }

  private dropParse(path: string): void {
    this.parses.get(path)?.tree.delete();
    this.parses.delete(path);
  }

  private forget(path: string): void {
    this.entries.delete(path);
    this.dropParse(path);
  }

  private clear(): void {
    for (const path of [...this.parses.keys()]) this.dropParse(path);
    this.entries.clear();
  }

  /** Frees the kept parses (WebAssembly memory); the cache cannot be used afterwards. */
  dispose(): void {
    this.clear();
    this.disposed = true;
  }
}
