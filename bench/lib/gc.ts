/**
 * A full collection between measured blocks when node runs with --expose-gc (the npm scripts
 * pass it): one block's garbage, or the browser driver's, does not land in another's collections.
 */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
