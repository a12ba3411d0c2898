/**
 * The `if __name__ == "__main__":` guard that process-based fixes depend on. Under the spawn
 * and forkserver start methods (macOS, Windows; Linux from Python 3.14), and in every Dask
 * worker process, the main module is imported again: code it runs at import outside the guard
 * runs again in each worker, and a call that starts the pool there fails (or starts pools of
 * pools). The fixes note the guard, or add it when the module's last statements can move under
 * one unchanged.
 */
import type { TextEdit } from '../../model';
import type { SyntaxNode as Node } from '../../parse/tree';
import { spanOf } from '../../parse/syntax';
import { replaceSpan, type LineMap } from '../../text';
import { hasMultilineString, lineBreak } from './fix-syntax';

const MAIN_GUARD = /^__name__\s*==\s*['"]__main__['"]$/;

/**
 * Whether a top-level statement runs code when the module is imported, outside a `__main__`
 * guard. `own` holds the names of the module's top-level functions.
 */
function runsOnImport(statement: Node, own: ReadonlySet<string>): boolean {
  switch (statement.type) {
    case 'comment':
    case 'import_statement':
    case 'import_from_statement':
    case 'future_import_statement':
    case 'function_definition':
    case 'class_definition':
    case 'decorated_definition':
      return false;
    case 'if_statement':
      return !MAIN_GUARD.test(statement.childForFieldName('condition')?.text ?? '');
    case 'expression_statement': {
      const calls = statement.descendantsOfType('call');
      if (statement.namedChildren[0]?.type !== 'assignment') return calls.length > 0;
      // Definitions (`log = logging.getLogger(...)`) are harmless to re-run; one computed by the
      // module's own functions is not (`RESULTS = run_all(xs)` would start the pool again in a worker).
      return calls.some((call) => own.has(call.childForFieldName('function')?.text ?? ''));
    }
    default:
      return true;
  }
}

/** The names of the module's top-level functions. */
function ownFunctions(root: Node): Set<string> {
  const names = new Set<string>();
  for (const statement of root.namedChildren) {
    const def = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    const name = def?.type === 'function_definition' ? def.childForFieldName('name')?.text : undefined;
    if (name) names.add(name);
  }
  return names;
}

/** Whether the module runs code at import outside a `__main__` guard. */
export function runsCodeOnImport(root: Node): boolean {
  const own = ownFunctions(root);
  return root.namedChildren.some((s) => runsOnImport(s, own));
}

/**
 * What guarding the module needs: nothing (`'guarded'`: no code runs at import outside a
 * guard), an edit that moves the module's last statements under a new guard, or undefined when
 * that cannot be done cleanly. Only trailing calls for effect move (`main()`, `print(run(xs))`,
 * comments between them): an assignment or a definition among them would no longer be there
 * when a worker imports the module, and a string spanning lines would change when re-indented.
 */
export function mainGuardEdit(root: Node, lines: LineMap, step: string): TextEdit | 'guarded' | undefined {
  const statements = root.namedChildren;
  const own = ownFunctions(root);
  const first = statements.findIndex((s) => runsOnImport(s, own));
  if (first < 0) return 'guarded';
  const moved = statements.slice(first);
  const plainCall = (s: Node): boolean => s.type === 'comment' || (s.type === 'expression_statement' && s.namedChildren[0]?.type !== 'assignment' && runsOnImport(s, own));
  if (!moved.every(plainCall) || moved.some(hasMultilineString) || moved.some((s) => s.startPosition.column !== 0)) return undefined;
  const start = moved[0];
  const end = moved[moved.length - 1];
  const text = lines.text.slice(start.startIndex, end.endIndex);
  const eol = lineBreak(lines);
  // Every line that has text moves one step in; blank lines stay blank.
  const indented = text.replace(/^(?=[^\r\n])/gm, step);
  const span = { ...spanOf(start), endLine: spanOf(end).endLine, endColumn: spanOf(end).endColumn };
  return replaceSpan(span, `if __name__ == "__main__":${eol}${indented}`);
}
