/**
 * The static side of a benchmark: what `analyze` says about the function, so the measured
 * verdict can be shown beside it. The function's file is analyzed together with the other
 * files of its folder in the same language family, so chains through local helpers count.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { analyzeFiles, languageForPath, type FunctionResult, type Kind, type LanguageId, type SourceFile } from '../core';
import type { MeasuredVerdict } from './runner';

/** Sibling files analyzed with the target at most (a huge folder costs only its first files). */
const MAX_SIBLINGS = 200;

export interface StaticVerdict {
  language: LanguageId;
  /** Every function of the file (to list names when the one asked for is not there). */
  names: string[];
  /** The function, when found. */
  fn?: FunctionResult;
}

function family(language: LanguageId | undefined): string | undefined {
  return language === 'python' ? 'python' : language ? 'javascript' : undefined;
}

/** Analyzes `file` with its folder's files of the same language family. */
export async function staticVerdict(file: string, name: string, cwd: string = process.cwd()): Promise<StaticVerdict> {
  const path = resolve(cwd, file);
  const language = languageForPath(path);
  if (!language) throw new Error(`not a Python, JavaScript or TypeScript file: ${file}`);
  const text = await readFile(path, 'utf8'); // ENOENT and the like reach the caller
  const folder = dirname(path);
  const siblings = (await readdir(folder, { withFileTypes: true }))
    .filter((e) => e.isFile() && join(folder, e.name) !== path && !/\.d\.(ts|mts|cts)$/i.test(e.name) && family(languageForPath(e.name)) === family(language))
    .map((e) => join(folder, e.name))
    .sort()
    .slice(0, MAX_SIBLINGS);
  const sources: SourceFile[] = [{ path, text }];
  for (const p of siblings) {
    try {
      sources.push({ path: p, text: await readFile(p, 'utf8') });
    } catch {
      // An unreadable sibling only loses its part of the chains.
    }
  }
  const [result] = await analyzeFiles(sources, { workers: 1 });
  if (result.error) throw new Error(`cannot analyze ${file}: ${result.error}`);
  return { language, names: result.functions.map((f) => f.name), fn: result.functions.find((f) => f.name === name) };
}

/** "agrees", "disagrees", or "no static verdict" when the analyzer saw no I/O or CPU work. */
export function agreement(measured: MeasuredVerdict, kind: Kind): 'agrees' | 'disagrees' | 'no static verdict' {
  if (kind === 'neither') return 'no static verdict';
  return measured === kind ? 'agrees' : 'disagrees';
}
