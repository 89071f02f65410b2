// The README's example (examples/modes-tour.mjs) runs as a user runs it, in its own Node
// process against dist/, and says what the README promises: training lowers the loss, the
// noGrad evaluation saves nothing, the inferenceMode output is an inference tensor whose
// in-place update fails with PyTorch's text, and the clone fix works.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('examples/modes-tour.mjs', () => {
  let out;
  beforeAll(() => {
    const r = spawnSync(process.execPath, ['examples/modes-tour.mjs'], { cwd: root, encoding: 'utf8', timeout: 120000 });
    if (r.status !== 0) throw new Error(`modes-tour exited with ${r.status}:\n${r.stdout}\n${r.stderr}`);
    out = r.stdout;
  });

  test('training with recording lowers the loss', () => {
    const losses = [...out.matchAll(/^step (\d+): loss ([\d.]+)$/gm)].map((m) => Number(m[2]));
    expect(losses.length).toBe(4);
    expect(losses[3]).toBeLessThan(losses[0] * 0.5);
  });

  test('evaluation under noGrad has no grad_fn and saves nothing, and the model learned', () => {
    expect(out).toMatch(/^noGrad forward: grad_fn null, saved bytes 0$/m);
    const acc = Number(/^test accuracy: ([\d.]+)%$/m.exec(out)[1]);
    expect(acc).toBeGreaterThan(80);
  });

  test('the inferenceMode output is an inference tensor, immutable outside the mode', () => {
    expect(out).toMatch(/isInference true$/m);
    expect(out).toContain('caught, as in PyTorch: Inplace update to inference tensor outside InferenceMode is not allowed');
    expect(out).toMatch(/^clone\(\) outside the mode can be modified: tensor\(/m);
  });

  test('inferenceMode(false) inside noGrad turns grad mode back on, as in PyTorch', () => {
    expect(out).toContain('noGrad > inferenceMode(false): isGradEnabled() = true');
  });
});
