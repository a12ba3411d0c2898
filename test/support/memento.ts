/** A `vscode.Memento` stand-in for unit tests: values kept as VS Code keeps them (serialized). */
import type { HistoryMemento } from '../../src/extension/bench-history';

export class MapMemento implements HistoryMemento {
  readonly values = new Map<string, unknown>();

  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }

  update(key: string, value: unknown): Thenable<void> {
    // Serialized, so later mutation of the stored object cannot leak into the state.
    this.values.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
}
