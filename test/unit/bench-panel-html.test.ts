/** The Benchmarks view's page: a strict CSP with a fresh nonce, one script carrying it, nothing inline. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, makeNonce, panelHtml } from '../../src/extension/bench-panel-html';

const page = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: makeNonce(),
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/bench-panel.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/bench-panel.css',
};

void describe('bench panel html', () => {
  void it('makes a new 128-bit nonce each time', () => {
    const nonces = new Set(Array.from({ length: 50 }, makeNonce));
    assert.equal(nonces.size, 50);
    for (const nonce of nonces) assert.equal(Buffer.from(nonce, 'base64').length, 16);
  });

  void it('allows nothing by default, styles from the extension, scripts only by nonce', () => {
    const csp = contentSecurityPolicy(page.cspSource, 'abc');
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('script-src'), ["'nonce-abc'"]);
    assert.deepEqual(directives.get('style-src'), [page.cspSource]);
    assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'));
  });

  void it('puts the policy in the page and the nonce on its only script, with no inline code or handlers', () => {
    const html = panelHtml(page);
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
    assert.ok(meta);
    assert.ok(meta[1].includes(`script-src 'nonce-${page.nonce}'`));
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.ok(scripts[0][1].includes(`nonce="${page.nonce}"`) && scripts[0][1].includes(`src="${page.scriptUri}"`));
    assert.equal(scripts[0][2].trim(), '', 'no inline script');
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handler');
    assert.doesNotMatch(html, /\sstyle=/i, 'no inline style');
    assert.ok(html.includes(`<link rel="stylesheet" href="${page.styleUri}">`));
  });

  void it('escapes the URIs it writes into attributes', () => {
    const html = panelHtml({ ...page, scriptUri: 'x"><script>alert(1)</script>' });
    assert.equal([...html.matchAll(/<script\b/g)].length, 1);
    assert.ok(html.includes('x&quot;&gt;&lt;script&gt;'));
  });
});
