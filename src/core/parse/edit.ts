/**
 * The edit between two versions of a text, as tree-sitter wants it for incremental parsing:
 * one changed region, found by the longest common prefix and suffix. A keystroke, a pasted
 * line or a quick fix's edits all fit one region (spanning the changes); tree-sitter then
 * reuses every subtree outside it. No edit events needed: the texts are enough, and a wrong
 * region cannot arise (it is computed from the texts the trees were parsed from).
 */
import type { Edit, Point } from 'web-tree-sitter';

/** Row and column (UTF-16 code units, as web-tree-sitter counts them) of an offset. */
function pointAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/** Characters compared at once while looking for the changed region. */
const BLOCK = 256;

/** The one region where `before` and `after` differ, or undefined when they are equal. */
export function textEdit(before: string, after: string): Edit | undefined {
  if (before === after) return undefined;
  const limit = Math.min(before.length, after.length);
  // Whole blocks first (a native comparison each), then characters: a 5,000-line file is
  // 200,000 characters, nearly all of them in the common prefix and suffix.
  let prefix = 0;
  while (prefix + BLOCK <= limit && before.slice(prefix, prefix + BLOCK) === after.slice(prefix, prefix + BLOCK)) prefix += BLOCK;
  while (prefix < limit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  // Never split a surrogate pair: back up to its first half.
  if (prefix > 0 && prefix < limit && (before.charCodeAt(prefix - 1) & 0xfc00) === 0xd800) prefix--;
  let suffix = 0;
  const maxSuffix = limit - prefix;
  while (suffix + BLOCK <= maxSuffix && before.slice(before.length - suffix - BLOCK, before.length - suffix) === after.slice(after.length - suffix - BLOCK, after.length - suffix)) suffix += BLOCK;
  while (suffix < maxSuffix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  if (suffix > 0 && suffix < maxSuffix && (before.charCodeAt(before.length - suffix) & 0xfc00) === 0xdc00) suffix--;
  const startPosition = pointAt(before, prefix);
  return {
    startIndex: prefix,
    oldEndIndex: before.length - suffix,
    newEndIndex: after.length - suffix,
    startPosition,
    oldEndPosition: pointAt(before, before.length - suffix),
    newEndPosition: pointAt(after, after.length - suffix),
  };
}
