/**
 * A realistic 5,000-line Python module for the re-analysis figure of `npm run bench:editor`:
 * a mix of the shapes the analyzer classifies (network calls in loops, blocking sleeps in
 * async code, CPU loops, pure helpers), so a run has real work and real diagnostics.
 */

/** The function a one-line edit goes into; its body has no diagnostic of its own. */
export const EDIT_TARGET = 'async def edit_target(client, url):';
/** The line inserted below EDIT_TARGET: a blocking call in async code, one CL101 more. */
export const EDIT_LINE = '    time.sleep(0.5)\n';

const HEADER = ['"""Generated for a benchmark: many functions of the kinds real services have."""', 'import hashlib', 'import json', 'import time', '', 'import requests', '', ''];

/** Four function shapes, each 12 lines (with the blank lines after it). */
function block(i: number): string[] {
  switch (i % 4) {
    case 0:
      return [`def fetch_all_${i}(urls):`, '    """Downloads each page in turn."""', '    pages = []', '    for url in urls:', '        response = requests.get(url, timeout=10)', '        response.raise_for_status()', '        pages.append(response.text)', '    time.sleep(0.1)', '    return pages', '', '', ''];
    case 1:
      return [`async def handler_${i}(request):`, '    """Handles a request, blocking the loop."""', '    body = json.loads(request.body)', '    if not body:', '        return None', '    time.sleep(1)', '    result = requests.post("https://example.com/api", json=body)', '    return result.json()', '', '', '', ''];
    case 2:
      return [`def checksum_${i}(blobs):`, '    """Hashes every blob, many times."""', '    total = 0', '    for blob in blobs:', '        for _ in range(1000):', '            digest = hashlib.sha256(blob).hexdigest()', '            total += int(digest[:8], 16)', '    return total', '', '', '', ''];
    default:
      return [`def label_${i}(name, count):`, '    """Formats a label: no I/O, little CPU."""', '    if count == 1:', '        return f"{count} {name}"', '    suffix = "s" if not name.endswith("s") else ""', '    text = f"{count} {name}{suffix}"', '    return text.strip()', '', '', '', '', ''];
  }
}

/** The module, exactly `lines` lines long (padded with comments). */
export function bigPythonModule(lines = 5_000): string {
  const out = [...HEADER, EDIT_TARGET, '    """The benchmark edits below this line."""', '    return await client.get(url)', '', ''];
  for (let i = 0; out.length + 12 <= lines; i++) out.push(...block(i));
  while (out.length < lines) out.push('# padding');
  return `${out.join('\n')}\n`;
}
