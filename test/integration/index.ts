/**
 * The integration suite's entry point, loaded by VS Code's extension host through
 * `--extensionTestsPath`: runs every `*.test.cjs` bundle next to this file with mocha.
 */
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Called by the extension host; resolves when every test passed, rejects otherwise. */
export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: true, timeout: 30_000 });
  const testFiles = readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.cjs'))
    .sort();
  if (testFiles.length === 0) throw new Error(`no *.test.cjs files in ${__dirname}`);
  for (const name of testFiles) mocha.addFile(join(__dirname, name));

  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
