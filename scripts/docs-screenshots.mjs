// Copies the README's pictures, made by the end-to-end suite on every run
// (test-results/e2e/readme-*.png, cropped to the part of the window they show), to docs/images/.
//
//   npm run test:e2e && npm run docs:screenshots   (editor.e2e.ts and bench.e2e.ts save them)
//
// Fails, copying nothing, when a picture is missing (the suite did not get that far), is not a
// PNG, or is over the size limit (the README is read on GitHub: pictures stay small).
import { Buffer } from 'node:buffer';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(root, 'test-results/e2e');
const to = join(root, 'docs/images');

/** The pictures the README shows, by the name the suite saves them under (readme-NAME.png). */
const PICTURES = ['hover', 'quick-fix', 'codelens', 'explain', 'problems', 'bench-panel', 'bench-headline', 'scaling-fixes', 'bench-dask'];
const MAX_BYTES = 200 * 1024;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const problems = [];
for (const name of PICTURES) {
  const file = join(from, `readme-${name}.png`);
  if (!existsSync(file)) {
    problems.push(`${relative(root, file)} is missing: run \`npm run test:e2e\` first (it saves the pictures)`);
    continue;
  }
  const size = statSync(file).size;
  if (!readFileSync(file).subarray(0, 8).equals(PNG_SIGNATURE)) problems.push(`${relative(root, file)} is not a PNG`);
  if (size > MAX_BYTES) problems.push(`${relative(root, file)} is ${Math.round(size / 1024)} KB, over ${MAX_BYTES / 1024} KB: crop it tighter in test/e2e`);
}
if (problems.length > 0) {
  for (const problem of problems) console.error(`docs:screenshots: ${problem}`);
  process.exit(1);
}
mkdirSync(to, { recursive: true });
for (const name of PICTURES) {
  const target = join(to, `${name}.png`);
  copyFileSync(join(from, `readme-${name}.png`), target);
  console.log(`${relative(root, target)}  ${Math.round(statSync(target).size / 1024)} KB`);
}
