/**
 * Which workspace files the extension analyzes: the editor-free half of the workspace index.
 * Dependencies, version-control folders, caches and virtual environments are always skipped
 * (as the CLI skips them); users add globs (`concurrencyLens.exclude`), matched against the
 * path relative to the workspace folder, with the glob syntax of VS Code's `files.exclude`.
 */
import { isDeclarationFile, SKIPPED_DIRECTORIES } from '../core/sources';

export { isDeclarationFile, SKIPPED_DIRECTORIES };

/** The same folders as one glob, for `vscode.workspace.findFiles`'s exclude argument. */
export const SKIPPED_DIRECTORIES_GLOB = `**/{${SKIPPED_DIRECTORIES.join(',')}}/**`;

/**
 * A glob as a regular expression over `/`-separated relative paths: `**` spans folders,
 * `*` and `?` stay within one, `{a,b}` alternates (nested too), `[abc]`/`[!abc]` are classes.
 */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${translate(glob.replace(/\\/g, '/').replace(/^\.\//, ''), 0, false).source}$`);
}

/** Translates from `start` up to the end (or, inside braces, to the closing `}`). */
function translate(glob: string, start: number, inBraces: boolean): { source: string; end: number } {
  let source = '';
  let i = start;
  while (i < glob.length) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const atSegmentStart = i === 0 || glob[i - 1] === '/' || glob[i - 1] === '{' || glob[i - 1] === ',';
      if (atSegmentStart && glob[i + 2] === '/') {
        source += '(?:.*/)?'; // `**/`: any folders, or none
        i += 3;
      } else {
        source += '.*';
        i += 2;
      }
    } else if (c === '*') {
      source += '[^/]*';
      i += 1;
    } else if (c === '?') {
      source += '[^/]';
      i += 1;
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        source += '\\[';
        i += 1;
      } else {
        let body = glob.slice(i + 1, close);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        source += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close + 1;
      }
    } else if (c === '{') {
      const alternatives: string[] = [];
      let j = i + 1;
      for (;;) {
        const part = translate(glob, j, true);
        alternatives.push(part.source);
        j = part.end;
        if (glob[j] === ',') j += 1;
        else break;
      }
      source += `(?:${alternatives.join('|')})`;
      i = glob[j] === '}' ? j + 1 : j;
    } else if (inBraces && (c === ',' || c === '}')) {
      return { source, end: i };
    } else {
      source += c.replace(/[.+^$()|\\]/g, '\\$&');
      i += 1;
    }
  }
  return { source, end: i };
}

/**
 * Decides whether a file, by its path relative to its workspace folder, is analyzed.
 * A pattern that matches a folder excludes everything below it.
 */
export class FileFilter {
  private readonly patterns: RegExp[];

  /**
   * @param excludes user globs (`concurrencyLens.exclude`)
   * @param skippedFolders relative paths of folders found to be virtual environments
   */
  constructor(excludes: readonly string[], private readonly skippedFolders: readonly string[] = []) {
    this.patterns = excludes.filter((glob) => glob.trim() !== '').map(globToRegExp);
  }

  /** True when the file at this relative path (`/`-separated) must not be analyzed. */
  excludes(relativePath: string): boolean {
    const path = relativePath.replace(/\\/g, '/').replace(/^\/+/, '');
    if (isDeclarationFile(path)) return true;
    const segments = path.split('/');
    if (segments.slice(0, -1).some((segment) => SKIPPED_DIRECTORIES.includes(segment))) return true;
    if (this.skippedFolders.some((folder) => path.startsWith(`${folder}/`))) return true;
    for (let end = 1; end <= segments.length; end++) {
      const prefix = segments.slice(0, end).join('/');
      if (this.patterns.some((pattern) => pattern.test(prefix))) return true;
    }
    return false;
  }
}
