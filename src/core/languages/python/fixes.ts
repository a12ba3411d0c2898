/**
 * Python quick fixes, by diagnostic code. Each fixer checks its preconditions and
 * returns edits; the engine (../../fixes.ts) re-parses the result and drops any that
 * would not parse.
 */
import type { Fixer, Fixers } from '../../fixes';
import type { Fix } from '../../model';
import { replaceSpan } from '../../text';
import { addImport, importedName } from './fix-imports';

/** CL101 on `time.sleep(...)` in `async def`: `await asyncio.sleep(...)`. */
const sleepToAsyncioSleep: Fixer = async ({ diagnostic, evidence, lines, tree }) => {
  const sleep = evidence.find((e) => e.call === 'time.sleep' && e.via.length === 0 && e.span.line === diagnostic.line && e.span.column === diagnostic.column);
  if (!sleep) return [];
  const call = lines.slice(sleep.span);
  const open = call.indexOf('(');
  if (open < 0) return [];
  const root = await tree();
  const asyncio = importedName(root, 'asyncio');
  const edits = [replaceSpan(sleep.span, `await ${asyncio ?? 'asyncio'}.sleep${call.slice(open)}`)];
  if (!asyncio) edits.push(addImport(root, lines, 'asyncio'));
  const fix: Fix = { title: 'Use `await asyncio.sleep(...)`: other tasks run while this one waits', preferred: true, edits };
  return [fix];
};

export const PYTHON_FIXERS: Fixers = {
  CL101: sleepToAsyncioSleep,
};
