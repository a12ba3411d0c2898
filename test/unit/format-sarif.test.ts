import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { formatSarif, INFORMATION_URI, type SarifLog } from '../../src/cli/format-sarif';
import type { FileResult } from '../../src/core/model';
import { NET_PATH, pythonProject } from './format-fixtures';

/** The official OASIS schema, found from the bundle's folder (out/test/unit) or the source's. */
function loadSchema(): object {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'test', 'schemas', 'sarif-schema-2.1.0.json');
    if (existsSync(candidate)) return JSON.parse(readFileSync(candidate, 'utf8')) as object;
    if (path.dirname(dir) === dir) throw new Error('test/schemas/sarif-schema-2.1.0.json not found');
  }
}

// The schema is draft-07, Ajv's default draft; ajv-formats checks "uri", "uri-reference", "date-time".
const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
const validate = ajv.compile(loadSchema());

function assertValid(log: unknown): void {
  const ok = validate(log);
  assert.ok(ok, `SARIF log does not match the 2.1.0 schema:\n${ajv.errorsText(validate.errors, { separator: '\n' })}`);
}

const CWD = '/home/dev/project';

function sample(results: FileResult[] = pythonProject()): SarifLog {
  // Through JSON, as the CLI prints it: what a consumer reads.
  return JSON.parse(JSON.stringify(formatSarif(results, { toolVersion: '0.1.0', cwd: CWD }))) as SarifLog;
}

void describe('formatSarif', () => {
  void it('produces a log that the official SARIF 2.1.0 schema accepts', () => {
    assertValid(sample());
    assertValid(sample([]));
  });

  void it('is rejected by the schema when a region starts at line 0, a level is "hint" or a URI is not encoded', () => {
    const zeroLine = sample();
    zeroLine.runs[0].results[0].locations[0].physicalLocation.region!.startLine = 0;
    assert.equal(validate(zeroLine), false);
    assert.ok(validate.errors?.some((e) => e.instancePath.endsWith('/region/startLine')), ajv.errorsText(validate.errors));

    const hint = sample() as unknown as { runs: { results: { level: string }[] }[] };
    hint.runs[0].results[1].level = 'hint';
    assert.equal(validate(hint), false);
    assert.ok(validate.errors?.some((e) => e.instancePath === '/runs/0/results/1/level'), ajv.errorsText(validate.errors));

    // ajv-formats is active: a path that is not percent-encoded is not a URI reference.
    const unencoded = sample();
    unencoded.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = NET_PATH;
    assert.equal(validate(unencoded), false);
  });

  void it('describes the tool and one rule per diagnostic code', () => {
    const log = sample();
    assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const driver = log.runs[0].tool.driver;
    assert.equal(driver.name, 'Concurrency Lens');
    assert.equal(driver.semanticVersion, '0.1.0');
    assert.equal(driver.informationUri, INFORMATION_URI);
    assert.deepEqual(
      driver.rules.map((r) => r.id),
      ['CL101', 'CL102', 'CL201', 'CL202', 'CL301', 'CL302'],
    );
    for (const rule of driver.rules) {
      assert.ok(rule.shortDescription.text.length > 0 && rule.fullDescription.text.length > 0, rule.id);
      assert.ok(rule.help.text.length > 40, `${rule.id} help says what to do`);
      assert.equal(rule.defaultConfiguration.level, 'note');
    }
    assert.match(driver.rules[0].help.text, /asyncio\.to_thread/);
    assert.match(driver.rules[2].help.text, /ProcessPoolExecutor/);
  });

  void it('maps each diagnostic to a result with rule index, level, message and region', () => {
    const run = sample().runs[0];
    assert.deepEqual(
      run.results.map((r) => [r.ruleId, r.level, r.properties.severity]),
      [
        ['CL101', 'warning', 'warning'],
        ['CL301', 'note', 'hint'],
        ['CL201', 'note', 'information'],
      ],
    );
    for (const result of run.results) assert.equal(run.tool.driver.rules[result.ruleIndex].id, result.ruleId);

    const blocking = run.results[0];
    assert.equal(blocking.message.text, 'get_json(url) blocks the event loop: it calls requests.get (network I/O)');
    const location = blocking.locations[0];
    assert.deepEqual(location.physicalLocation.region, { startLine: 15, startColumn: 20, endLine: 15, endColumn: 33 });
    assert.deepEqual(location.logicalLocations, [{ fullyQualifiedName: 'fetch_all', kind: 'function' }]);
    assert.equal(run.columnKind, 'utf16CodeUnits');
  });

  void it('writes artifact URIs relative to %SRCROOT%, percent-encoded with forward slashes', () => {
    const run = sample().runs[0];
    const artifact = run.results[0].locations[0].physicalLocation.artifactLocation;
    assert.deepEqual(artifact, { uri: 'src/my%20app/donn%C3%A9es.py', uriBaseId: '%SRCROOT%' });
    assert.equal(new URL(artifact.uri, run.originalUriBaseIds['%SRCROOT%'].uri).pathname, encodeURI(`${CWD}/${NET_PATH}`));
    assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, 'file:///home/dev/project/');
    // Absolute paths inside the folder are made relative too.
    const absolute = sample([{ ...pythonProject()[0], path: path.join(CWD, 'pkg', 'a#b.py') }]).runs[0];
    assert.deepEqual(absolute.results[0].locations[0].physicalLocation.artifactLocation, {
      uri: 'pkg/a%23b.py',
      uriBaseId: '%SRCROOT%',
    });
    // A colon in the first segment would otherwise read as a URI scheme.
    const colon = sample([{ ...pythonProject()[0], path: 'a:b.py' }]).runs[0];
    assert.equal(colon.results[0].locations[0].physicalLocation.artifactLocation.uri, 'a%3Ab.py');
  });

  void it('gives files outside the folder an absolute file URI', () => {
    const outside = sample([{ ...pythonProject()[0], path: '../shared lib/x.py' }]);
    assertValid(outside);
    assert.deepEqual(outside.runs[0].results[0].locations[0].physicalLocation.artifactLocation, {
      uri: pathToFileURL('/home/dev/shared lib/x.py').href,
    });
    assert.equal(outside.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'file:///home/dev/shared%20lib/x.py');
  });

  void it('turns quick fixes into SARIF fixes with replacements', () => {
    const [blocking, loop] = sample().runs[0].results;
    assert.deepEqual(blocking.fixes, [
      {
        description: {
          text: 'Run get_json in a worker thread with await asyncio.to_thread (exceptions still propagate here)',
        },
        artifactChanges: [
          {
            artifactLocation: { uri: 'src/my%20app/donn%C3%A9es.py', uriBaseId: '%SRCROOT%' },
            replacements: [
              {
                deletedRegion: { startLine: 15, startColumn: 20, endLine: 15, endColumn: 33 },
                insertedContent: { text: 'await asyncio.to_thread(get_json, url)' },
              },
              {
                deletedRegion: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
                insertedContent: { text: 'import asyncio\n' },
              },
            ],
          },
        ],
      },
    ]);
    assert.equal(loop.fixes, undefined);
  });

  void it('reports files that could not be analyzed as error notifications', () => {
    const invocation = sample().runs[0].invocations[0];
    assert.equal(invocation.executionSuccessful, false);
    assert.deepEqual(invocation.toolExecutionNotifications, [
      {
        level: 'error',
        message: { text: 'src/locked.py: EACCES: permission denied' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'src/locked.py', uriBaseId: '%SRCROOT%' } } }],
      },
    ]);

    const clean = sample(pythonProject().filter((f) => f.error === undefined)).runs[0].invocations[0];
    assert.equal(clean.executionSuccessful, true);
    assert.deepEqual(clean.toolExecutionNotifications, []);
  });

  void it('keeps an empty results array when nothing was found', () => {
    const run = sample([{ path: 'a.py', language: 'python', functions: [], diagnostics: [] }]).runs[0];
    assert.deepEqual(run.results, []);
    assert.equal(run.invocations[0].executionSuccessful, true);
  });
});
