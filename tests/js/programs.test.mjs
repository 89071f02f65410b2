// Generated autograd programs (tests/programs/README.md): 5-40 steps each of nested modes,
// views, in-place ops, hooks, retainGrad, backward/autograd.grad, custom Functions,
// optimizers and inference tensors, recorded on PyTorch 1.13.1
// (tests/programs/generate_programs.py) and replayed on both builds, comparing every live
// tensor after every step. Programs run in chunks of 100 (one test each); a failing chunk
// names its differing programs, grouped by the first differing step, with the first one as a
// runnable JavaScript snippet. For every program: `node tests/programs/run.mjs`.
// (No "nothing outlives" check: an in-place op on a tensor a later op saved makes a graph
// cycle, kept alive as in torch 1.13, e.g. t5.copy_(t5.mul(t4)).)
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { builds } from './engines.mjs';
import { checkAll, loadPrograms, report, summary } from '../programs/program_runner.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { header, programs } = loadPrograms(path.join(here, '..', 'programs', 'programs.jsonl.gz'));
const CHUNK = 100;
const chunks = [];
for (let i = 0; i < programs.length; i += CHUNK) {
  chunks.push([`programs ${programs[i].id}..${programs[Math.min(i + CHUNK, programs.length) - 1].id}`, programs.slice(i, i + CHUNK)]);
}

describe.each(builds)('generated programs on the %s build', (backend, loadBuild) => {
  let torch;
  const all = { ran: 0, differing: [], groups: new Map() };

  beforeAll(async () => {
    torch = await loadBuild();
  });

  // One grouped summary per build in the log (the lead's view while fixes land).
  afterAll(() => {
    if (all.differing.length) console.log(summary(all, `${backend}: all chunks`));
  });

  test('the recording has at least 5,000 programs', () => {
    expect(torch.backend).toBe(backend);
    expect(header.programs).toBe(programs.length);
    expect(programs.length).toBeGreaterThanOrEqual(5000);
  });

  test.each(chunks)('%s agree with torch at every step', (name, chunk) => {
    const result = checkAll(torch, chunk);
    all.ran += result.ran;
    all.differing.push(...result.differing);
    for (const [k, ids] of result.groups) all.groups.set(k, [...(all.groups.get(k) || []), ...ids]);
    const message = result.differing.length === 0
      ? 'ok'
      : `${summary(result, `${backend}, ${name}`)}\n\n${report(result.differing[0].program, result.differing[0].diff)}`;
    expect(message).toBe('ok');
  });
});
