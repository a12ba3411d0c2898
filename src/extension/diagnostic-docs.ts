/**
 * Where each diagnostic code is documented: `docs/diagnostics.md` has one `## CL101 ...`
 * section per code; a diagnostic's code links to its section by line (`#L12`), which VS Code
 * opens at that line (heading anchors only work in a Markdown preview).
 */

/** The file, relative to the extension's folder. */
export const DIAGNOSTICS_DOC = 'docs/diagnostics.md';

/** The 1-based line of each code's `##` heading. */
export function sectionLines(markdown: string): Map<string, number> {
  const lines = new Map<string, number>();
  markdown.split('\n').forEach((text, i) => {
    const match = /^##\s+(CL\d{3})\b/.exec(text);
    if (match && !lines.has(match[1])) lines.set(match[1], i + 1);
  });
  return lines;
}
