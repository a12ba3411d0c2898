// The README's commands and settings tables, generated from package.json's `contributes`, so
// they cannot drift from what the extension declares.
//
//   npm run docs:tables            rewrites the tables in README.md, between their marker comments
//   node scripts/docs-tables.mjs --check
//                                  exits 1, changing nothing, when README.md is not what the
//                                  script would write (test/unit/readme-tables.test.ts runs it)
//   --readme FILE --package FILE   other files than the repository's (for the tests)
//
// Rows are sorted by command id and by setting key, not taken in package.json's order: the
// same set of commands and settings gives the same README whatever order branches add them in.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** What the user types to fix a stale README (the check's message names it). */
const FIX_COMMAND = 'npm run docs:tables';

/** The tables, each between `<!-- NAME:start ... -->` and `<!-- NAME:end -->` in README.md. */
const TABLES = {
  commands: commandsTable,
  settings: settingsTable,
};

function option(name) {
  const index = process.argv.indexOf(name);
  if (index < 0) return undefined;
  const value = process.argv[index + 1];
  if (value === undefined || value.startsWith('--')) fail(`${name} needs a file`);
  return value;
}

function fail(message) {
  console.error(`docs:tables: ${message}`);
  process.exit(2);
}

/** Text for a table cell: one line, pipes escaped. */
function cell(text) {
  return String(text).replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();
}

/** A value as inline code; backticks inside would end it early, so the fence grows. */
function inlineCode(text) {
  const fence = text.includes('`') ? '``' : '`';
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

const byKey = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

function commandsTable(manifest) {
  const commands = [...(manifest.contributes?.commands ?? [])].sort((a, b) => byKey(a.command, b.command));
  const rows = commands.map((c) => `| ${cell(c.category ? `${c.category}: ${c.title}` : c.title)} | ${inlineCode(c.command)} |`);
  return ['| command (palette title) | id |', '| --- | --- |', ...rows].join('\n');
}

/** A setting's default as JSON (objects on one line); `—` when it has none. */
function defaultOf(schema) {
  if (!('default' in schema)) return '—';
  return cell(inlineCode(JSON.stringify(schema.default)));
}

/** What the setting does: its description, then, for an object, its keys and what each is. */
function describe(schema) {
  const text = schema.markdownDescription ?? schema.description ?? '';
  const keys = Object.entries(schema.properties ?? {})
    .sort(([a], [b]) => byKey(a, b))
    .map(([key, sub]) => {
      const values = sub.enum ? ` (${sub.enum.map(inlineCode).join(', ')})` : '';
      const what = sub.markdownDescription ?? sub.description ?? '';
      return `${inlineCode(key)}${values}: ${what}`;
    });
  return cell(keys.length > 0 ? `${text}<br>${keys.join('<br>')}` : text);
}

function settingsTable(manifest) {
  const configurations = [manifest.contributes?.configuration ?? []].flat();
  const settings = configurations
    .flatMap((configuration) => Object.entries(configuration.properties ?? {}))
    .sort(([a], [b]) => byKey(a, b));
  const rows = settings.map(([key, schema]) => `| ${inlineCode(key)} | ${defaultOf(schema)} | ${describe(schema)} |`);
  return ['| setting | default | description |', '| --- | --- | --- |', ...rows].join('\n');
}

function markers(name) {
  return {
    start: `<!-- ${name}:start (generated from package.json by \`${FIX_COMMAND}\`: edit package.json, not this table) -->`,
    end: `<!-- ${name}:end -->`,
  };
}

/** The README with every table replaced; fails when a table's markers are missing. */
function render(readme, manifest) {
  let text = readme;
  for (const [name, table] of Object.entries(TABLES)) {
    const { start, end } = markers(name);
    const startAt = text.indexOf(`<!-- ${name}:start`);
    const endAt = text.indexOf(end);
    if (startAt < 0 || endAt < startAt) fail(`README.md has no "<!-- ${name}:start ... -->" ... "${end}" markers for the ${name} table`);
    text = `${text.slice(0, startAt)}${start}\n${table(manifest)}\n${text.slice(endAt)}`;
  }
  return text;
}

const readmeFile = option('--readme') ?? join(root, 'README.md');
const packageFile = option('--package') ?? join(root, 'package.json');
const readme = readFileSync(readmeFile, 'utf8');
const manifest = JSON.parse(readFileSync(packageFile, 'utf8'));
const expected = render(readme, manifest);
const shown = relative(process.cwd(), readmeFile) || readmeFile;

if (process.argv.includes('--check')) {
  if (expected !== readme) {
    const stale = Object.keys(TABLES).filter((name) => !readme.includes(`${markers(name).start}\n${TABLES[name](manifest)}\n${markers(name).end}`));
    console.error(`${shown}: the ${stale.join(' and ')} table${stale.length === 1 ? ' is' : 's are'} not what package.json declares. Run \`${FIX_COMMAND}\` and commit README.md.`);
    process.exit(1);
  }
  console.log(`${shown}: the commands and settings tables match package.json`);
} else if (expected === readme) {
  console.log(`${shown}: tables already up to date`);
} else {
  writeFileSync(readmeFile, expected);
  console.log(`${shown}: tables rewritten from ${relative(process.cwd(), packageFile) || packageFile}`);
}
