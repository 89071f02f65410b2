// Every expected value in tests/fixtures/*.json is checked (issue 18): no fixture may carry
// the retired {"unpinned": ...} escape hatch, and every {"knownDifference": ...} entry names
// an API.md item and records both torch's value and the different, documented webtorch value
// that the runners compare against (tests/fixtures/README.md, "Known differences").
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixturesDir = path.join(here, '..', 'fixtures');
const files = readdirSync(fixturesDir).filter((f) => f.endsWith('.json')).sort();

function collect(value, where, found) {
  if (Array.isArray(value)) {
    value.forEach((v, i) => collect(v, `${where}[${i}]`, found));
  } else if (value !== null && typeof value === 'object') {
    if (Object.prototype.hasOwnProperty.call(value, 'unpinned')) found.unpinned.push(where);
    if (Object.prototype.hasOwnProperty.call(value, 'knownDifference')) found.known.push([where, value]);
    for (const [k, v] of Object.entries(value)) collect(v, `${where}.${k}`, found);
  }
}

describe.each(files)('%s', (file) => {
  const found = { unpinned: [], known: [] };
  collect(JSON.parse(readFileSync(path.join(fixturesDir, file), 'utf8')), file, found);

  test('has no unpinned (unchecked) expected value', () => {
    expect(found.unpinned).toEqual([]);
  });

  test('every knownDifference cites API.md and records a value that differs from torch', () => {
    for (const [where, entry] of found.known) {
      expect([where, typeof entry.knownDifference]).toEqual([where, 'string']);
      expect([where, entry.knownDifference.startsWith('API.md: ')]).toEqual([where, true]);
      expect([where, 'torch' in entry, 'webtorch' in entry]).toEqual([where, true, true]);
      expect([where, JSON.stringify(entry.webtorch) !== JSON.stringify(entry.torch)]).toEqual([where, true]);
    }
  });
});
