/**
 * Where a Python fix adds its import: in its section's block (standard library, then
 * third-party), in order when the block is sorted, or in a new block of its own after the
 * shebang, header comments, docstring and `from __future__` lines, spaced as PEP 8 asks. The
 * expected texts are what isort / Ruff's import sorting leave, checked by hand.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRetained } from '../../src/core/extract-file';
import { addFromImport, addImport } from '../../src/core/languages/python/fix-imports';
import { applyEdits, LineMap } from '../../src/core/text';

/** `text` with `import module` (or `from module import name`) added by the fix engine. */
async function withImport(text: string, module: string, name?: string): Promise<string> {
  const parse = await parseRetained('in-memory.py', text);
  assert.ok(parse);
  try {
    const lines = new LineMap(text);
    const edit = name ? addFromImport(parse.root, lines, module, name) : addImport(parse.root, lines, module);
    return applyEdits(text, [edit]);
  } finally {
    parse.tree.delete();
  }
}

const CODE = 'async def beat(path):\n    with open(path) as f:\n        return f.read()\n';

void describe('a Python fix\'s import', () => {
  void it('starts the file when it has no imports, two blank lines above the first definition', async () => {
    assert.equal(await withImport(CODE, 'asyncio'), `import asyncio\n\n\n${CODE}`);
    assert.equal(await withImport(`x = 1\n${CODE}`, 'asyncio'), `import asyncio\n\nx = 1\n${CODE}`);
    // The comment of the first definition stays with it.
    assert.equal(await withImport(`# Reads a file.\n${CODE}`, 'asyncio'), `import asyncio\n\n\n# Reads a file.\n${CODE}`);
  });

  void it('goes below the shebang, the encoding line and the header comments, never above them', async () => {
    assert.equal(await withImport(`#!/usr/bin/env python3\n${CODE}`, 'asyncio'), `#!/usr/bin/env python3\n\nimport asyncio\n\n\n${CODE}`);
    assert.equal(
      await withImport(`#!/usr/bin/env python3\n# -*- coding: latin-1 -*-\n# Reads a file.\n${CODE}`, 'asyncio'),
      `#!/usr/bin/env python3\n# -*- coding: latin-1 -*-\n\nimport asyncio\n\n\n# Reads a file.\n${CODE}`,
    );
    assert.equal(
      await withImport(`#!/usr/bin/env python3\n\n# Copyright 2026.\n# Licensed under MIT.\n\n${CODE}`, 'asyncio'),
      `#!/usr/bin/env python3\n\n# Copyright 2026.\n# Licensed under MIT.\n\nimport asyncio\n\n\n${CODE}`,
    );
  });

  void it('goes below the module docstring, a blank line between them', async () => {
    assert.equal(await withImport(`"""Reads files."""\n\n\n${CODE}`, 'asyncio'), `"""Reads files."""\n\nimport asyncio\n\n\n${CODE}`);
    assert.equal(await withImport(`# Header.\n"""Reads files."""\n${CODE}`, 'asyncio'), `# Header.\n"""Reads files."""\n\nimport asyncio\n\n\n${CODE}`);
  });

  void it('joins its section\'s block in order when the block is sorted: plain imports, then from-imports', async () => {
    const head = 'import os\nimport time\nfrom pathlib import Path\n\nimport requests\n\n\n';
    assert.equal(await withImport(head + CODE, 'asyncio'), `import asyncio\n${head}${CODE}`);
    assert.equal(
      await withImport(head + CODE, 'concurrent.futures', 'ThreadPoolExecutor'),
      `import os\nimport time\nfrom concurrent.futures import ThreadPoolExecutor\nfrom pathlib import Path\n\nimport requests\n\n\n${CODE}`,
    );
    assert.equal(await withImport(head + CODE, 'ray'), `import os\nimport time\nfrom pathlib import Path\n\nimport ray\nimport requests\n\n\n${CODE}`);
  });

  void it('goes at the end of its section\'s block when the block is not sorted', async () => {
    const head = 'import time\nimport os\n\n\n';
    assert.equal(await withImport(head + CODE, 'asyncio'), `import time\nimport os\nimport asyncio\n\n\n${CODE}`);
  });

  void it('starts a block of its own, between the sections before and after it, when its section has none', async () => {
    assert.equal(await withImport(`import requests\n\n\n${CODE}`, 'asyncio'), `import asyncio\n\nimport requests\n\n\n${CODE}`);
    assert.equal(await withImport(`import time\n\n\n${CODE}`, 'ray'), `import time\n\nimport ray\n\n\n${CODE}`);
    assert.equal(await withImport(`import time\n${CODE}`, 'ray'), `import time\n\nimport ray\n\n\n${CODE}`);
    assert.equal(await withImport(`from . import util\n\n\n${CODE}`, 'asyncio'), `import asyncio\n\nfrom . import util\n\n\n${CODE}`);
    assert.equal(
      await withImport(`from __future__ import annotations\n\nimport requests\n\n\n${CODE}`, 'asyncio'),
      `from __future__ import annotations\n\nimport asyncio\n\nimport requests\n\n\n${CODE}`,
    );
    assert.equal(
      await withImport(`"""Jobs."""\nfrom __future__ import annotations\n${CODE}`, 'dask.distributed', 'Client'),
      `"""Jobs."""\nfrom __future__ import annotations\n\nfrom dask.distributed import Client\n\n\n${CODE}`,
    );
  });

  void it('joins a block that mixes the sections (a file that does not separate them), in order', async () => {
    assert.equal(await withImport(`import os\nimport requests\nimport time\n\n\n${CODE}`, 'asyncio'), `import asyncio\nimport os\nimport requests\nimport time\n\n\n${CODE}`);
  });

  void it('keeps the file\'s line breaks, and a last line without one', async () => {
    assert.equal(await withImport('import requests\r\n\r\n\r\nx = 1\r\n', 'asyncio'), 'import asyncio\r\n\r\nimport requests\r\n\r\n\r\nx = 1\r\n');
    assert.equal(await withImport('import requests', 'ray'), 'import ray\nimport requests');
    assert.equal(await withImport('import time', 'ray'), 'import time\n\nimport ray\n');
    assert.equal(await withImport('"""Doc."""', 'asyncio'), '"""Doc."""\n\nimport asyncio\n');
  });

  void it('adds the name to an existing from-import of the module, in isort\'s order (CONSTANTS, Classes, others) and its layout', async () => {
    const futures = 'concurrent.futures';
    assert.equal(await withImport(`from concurrent.futures import as_completed\n${CODE}`, futures, 'ThreadPoolExecutor'), `from concurrent.futures import ThreadPoolExecutor, as_completed\n${CODE}`);
    assert.equal(await withImport(`from concurrent.futures import ThreadPoolExecutor\n${CODE}`, futures, 'ProcessPoolExecutor'), `from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor\n${CODE}`);
    assert.equal(await withImport(`from concurrent.futures import FIRST_COMPLETED, wait\n${CODE}`, futures, 'ThreadPoolExecutor'), `from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait\n${CODE}`);
    // Not in isort's order: the name goes last.
    assert.equal(await withImport(`from concurrent.futures import wait, Future\n${CODE}`, futures, 'ThreadPoolExecutor'), `from concurrent.futures import wait, Future, ThreadPoolExecutor\n${CODE}`);
    // One name per line, with or without a trailing comma.
    const perLine = (names: string[], comma: string): string => `from concurrent.futures import (\n${names.map((n) => `    ${n}`).join(',\n')}${comma}\n)\n${CODE}`;
    assert.equal(await withImport(perLine(['Future', 'wait'], ','), futures, 'ThreadPoolExecutor'), perLine(['Future', 'ThreadPoolExecutor', 'wait'], ','));
    assert.equal(await withImport(perLine(['Future'], ','), futures, 'ThreadPoolExecutor'), perLine(['Future', 'ThreadPoolExecutor'], ','));
    assert.equal(await withImport(perLine(['Future', 'TimeoutError'], ''), futures, 'ThreadPoolExecutor'), perLine(['Future', 'ThreadPoolExecutor', 'TimeoutError'], ''));
    assert.equal(await withImport(perLine(['Future'], ''), futures, 'ThreadPoolExecutor'), perLine(['Future', 'ThreadPoolExecutor'], ''));
  });
});
