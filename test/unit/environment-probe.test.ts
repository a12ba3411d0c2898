/**
 * The interpreter probe on real interpreters (Debian's python3 with Dask, pyenv's CPython 3.13)
 * and on small scripts standing in for an interpreter that hangs, floods, fails or answers as a
 * free-threaded build would (none is installed here): the answer, the time limit with the whole
 * process group killed, the output cap, and the cache by path and modification time.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isFreeThreaded, ProbeCache, probeInterpreter, ProbeError, resolveExecutable } from '../../src/env/probe';
import { projectEnvironment } from '../../src/env/project-environment';
import { alive, commandLine, liveProcesses } from '../support/proc';

const DEBIAN_PYTHON = '/usr/bin/python3';
const PYTHON_313 = join(homedir(), '.pyenv', 'versions', '3.13.0', 'bin', 'python3');

const temp = mkdtempSync(join(tmpdir(), 'concurrency-lens-probe-'));
after(() => rmSync(temp, { recursive: true, force: true }));

/** An executable shell script standing in for an interpreter. */
function fakePython(name: string, body: string): string {
  const file = join(temp, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

void describe('the interpreter probe', () => {
  void it('Debian python3: dask, distributed and joblib importable, not ray or pyspark; no GIL switch before 3.13', { skip: !existsSync(DEBIAN_PYTHON) && 'no /usr/bin/python3' }, async () => {
    const facts = await probeInterpreter(DEBIAN_PYTHON);
    assert.deepEqual(facts.modules, ['dask', 'distributed', 'joblib']);
    assert.match(facts.version, /^3\.\d+\.\d+/);
    assert.equal(facts.gilEnabled, null);
    assert.equal(facts.freeThreadedBuild, false);
    assert.equal(isFreeThreaded(facts), false);
  });

  void it('CPython 3.13 (default build): sys._is_gil_enabled() is true, no Dask', { skip: !existsSync(PYTHON_313) && 'no pyenv 3.13.0' }, async () => {
    const facts = await probeInterpreter(PYTHON_313);
    assert.equal(facts.version, '3.13.0');
    assert.deepEqual(facts.modules, []);
    assert.equal(facts.gilEnabled, true);
    assert.equal(facts.freeThreadedBuild, false);
    assert.equal(isFreeThreaded(facts), false);
  });

  void it('an answer with the GIL off makes the environment free-threaded, unless the setting says off', async () => {
    const answer = { executable: '/opt/python3.14t', version: '3.14.0', modules: ['ray'], gilEnabled: false, freeThreadedBuild: true };
    const python = fakePython('free-threaded', `echo '${JSON.stringify(answer)}'`);
    const facts = await probeInterpreter(python);
    assert.deepEqual(facts, answer);
    const declared = { pythonModules: new Set(['dask']), nodePackages: new Set<string>() };
    const auto = projectEnvironment(declared, facts, 'auto');
    assert.equal(auto.freeThreaded, true);
    assert.deepEqual([...auto.pythonModules].sort(), ['dask', 'ray']);
    assert.equal(projectEnvironment(declared, facts, 'off').freeThreaded, false);
    assert.equal(projectEnvironment(declared, undefined, 'on').freeThreaded, true);
    assert.equal(projectEnvironment(declared, undefined, 'auto').freeThreaded, false);
  });

  void it('an interpreter that hangs is killed at the time limit, with what it started', async () => {
    const marker = join(temp, 'hang-pid');
    const python = fakePython('hang', `sleep 30 &\necho $! > ${marker}\nwait`);
    const started = Date.now();
    await assert.rejects(probeInterpreter(python, { timeoutMs: 500 }), (error: Error) => error instanceof ProbeError && /no answer within 0\.5 s; killed/.test(error.message));
    assert.ok(Date.now() - started < 5000, 'rejected soon after the limit');
    const sleeper = Number(readFileSync(marker, 'utf8'));
    assert.ok(sleeper > 0);
    // Killed with the group: gone, or at most a zombie on its way out.
    for (let i = 0; i < 50 && alive(sleeper); i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(alive(sleeper), false, `the sleep ${sleeper} it started is gone`);
    assert.deepEqual(liveProcesses((pid) => commandLine(pid).includes(python)), []);
  });

  void it('aborting kills the probe at once (the CLI\'s Ctrl-C, the editor shutting down)', async () => {
    const marker = join(temp, 'abort-pid');
    const python = fakePython('abort', `echo $$ > ${marker}\nsleep 30`);
    const controller = new AbortController();
    const probe = probeInterpreter(python, { signal: controller.signal });
    for (let i = 0; i < 100 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await assert.rejects(probe, /cancelled; killed/);
    const shell = Number(readFileSync(marker, 'utf8'));
    for (let i = 0; i < 50 && alive(shell); i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(alive(shell), false);
    await assert.rejects(probeInterpreter(python, { signal: controller.signal }), /cancelled$/, 'an aborted signal starts nothing');
  });

  void it('output past the cap is cut and the interpreter killed', async () => {
    const python = fakePython('flood', 'yes');
    await assert.rejects(probeInterpreter(python), /printed more than 64 KB; killed/);
  });

  void it('a failing interpreter, one that answers something else, and a missing one give clear errors', async () => {
    await assert.rejects(probeInterpreter(fakePython('fails', 'echo "bad interpreter" >&2; exit 3')), /exited with code 3: bad interpreter/);
    await assert.rejects(probeInterpreter(fakePython('python2ish', 'echo "Python 2.7.18"')), /did not answer as a Python 3 interpreter does/);
    await assert.rejects(probeInterpreter(join(temp, 'missing')), /missing: not found$/);
  });

  void it('resolves commands on the PATH and paths as given', () => {
    assert.equal(resolveExecutable('sh', '/', '/nonexistent:/bin'), '/bin/sh');
    assert.equal(resolveExecutable('no-such-command-here', '/', '/bin'), undefined);
    assert.equal(resolveExecutable('./py', '/opt/venv/bin'), '/opt/venv/bin/py');
  });

  void it('probes an interpreter once while its file is unchanged, again when it changes', async () => {
    const count = join(temp, 'count');
    const answer = JSON.stringify({ executable: 'x', version: '3.12.0', modules: [], gilEnabled: null, freeThreadedBuild: false });
    const python = fakePython('counted', `echo run >> ${count}\necho '${answer}'`);
    const cache = new ProbeCache();
    await cache.get(python);
    await cache.get(python);
    assert.equal(readFileSync(count, 'utf8').split('\n').filter(Boolean).length, 1);
    utimesSync(python, new Date(), new Date(Date.now() + 5000));
    await cache.get(python);
    assert.equal(readFileSync(count, 'utf8').split('\n').filter(Boolean).length, 2);
    await assert.rejects(cache.get('no-such-python-anywhere'), /not found on the PATH/);
  });
});
