// torch.autograd.detectAnomaly / setDetectAnomaly against torch 1.13.1
// (tests/fixtures/anomaly.json, generate_anomaly.py: CASES there have the bodies of CASES here),
// on both builds: the node a NaN is reported for and torch's text, the forward stack the Error
// names, checkNan off, the in-place error's hint, and the flags through nested scopes.
import { describe, expect, test, beforeAll } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { builds } from './engines.mjs';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/anomaly.json', import.meta.url)));

function makeCases(torch) {
  // A custom backward that produces NaN at 0 (0 * inf).
  const Reciprocal = torch.autograd.Function({
    name: 'Reciprocal',
    forward(ctx, x) {
      ctx.saveForBackward(x);
      return x.mul(2);
    },
    backward(ctx, g) {
      const [x] = ctx.savedTensors;
      return g.mul(torch.ones([2]).div(x)).mul(x);
    },
  });
  return {
    sqrtAtZero() {
      const x = torch.tensor([0.0, 1.0], { requiresGrad: true });
      x.sqrt().mul(0).sum().backward();
      return [x];
    },
    mulInfFirst() {
      const a = torch.tensor([1.0, 2.0], { requiresGrad: true });
      const b = torch.tensor([Infinity, 1.0]);
      a.mul(b).mul(0).sum().backward();
      return [a];
    },
    mulInfSecond() {
      const x = torch.tensor([Infinity, 1.0], { requiresGrad: true });
      const w = torch.tensor([1.0, 2.0], { requiresGrad: true });
      x.mul(w).mul(0).sum().backward();
      return [x, w];
    },
    divZero() {
      const x = torch.tensor([0.0, 1.0], { requiresGrad: true });
      const y = torch.tensor([0.0, 1.0], { requiresGrad: true });
      x.div(y).sum().backward();
      return [x, y];
    },
    doubleBackward() {
      const x = torch.tensor([0.0, 2.0], { requiresGrad: true });
      const [g] = torch.autograd.grad(x.pow(2).sum(), x, { createGraph: true });
      g.sqrt().mul(0).sum().backward();
      return [x];
    },
    customFunction() {
      const x = torch.tensor([0.0, 1.0], { requiresGrad: true });
      Reciprocal.apply(x).sum().backward();
      return [x];
    },
    inplaceModified() {
      const x = torch.tensor([1.0, 2.0], { requiresGrad: true });
      const y = x.add(1);
      const z = y.log();
      y.mul_(2);
      z.sum().backward();
      return [x];
    },
  };
}

// The node that failed, when the Error names one (torch's warning, appended here).
const FAILING_NODE = {
  sqrtAtZero: 'SqrtBackward0', mulInfFirst: 'MulBackward0', mulInfSecond: 'MulBackward0', divZero: 'DivBackward0',
  doubleBackward: 'SqrtBackward0', customFunction: 'ReciprocalBackward', inplaceModified: 'LogBackward0',
};

const encode = (v) => (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : v);

describe.each(builds)('detectAnomaly on %s', (backend, loadEngine) => {
  let torch, cases;
  beforeAll(async () => {
    torch = await loadEngine();
    cases = makeCases(torch);
  });

  const inMode = (mode, fn) =>
    mode === 'off' ? fn() : torch.autograd.detectAnomaly(fn, mode === 'checkNanOff' ? { checkNan: false } : undefined);

  test.each(fixture.cases.map((c) => [c.case, c.mode, c]))('%s, %s', (name, mode, c) => {
    let leaves, error;
    inMode(mode, () => {
      try {
        leaves = cases[name]();
      } catch (e) {
        error = e;
      }
    });
    if (c.error !== undefined) {
      expect(error).toBeInstanceOf(Error);
      expect(error.message.split('\n')[0]).toBe(c.error);
      if (mode !== 'off') {
        // torch's warning names the node and the forward call's stack: here the stack of this file.
        expect(error.message).toContain(`\nError detected in ${FAILING_NODE[name]}. Traceback of forward call that caused the error:\n`);
        expect(error.message).toMatch(/anomaly\.test\.mjs/);
        expect(error.message).not.toMatch(/dist\/(tensor|ops|autograd)\.mjs/);
      } else {
        expect(error.message).not.toContain('Error detected in');
      }
    } else {
      expect(error).toBeUndefined();
      expect(leaves.map((l) => l.grad.tolist().map(encode))).toEqual(c.grads);
    }
    expect(torch.autograd.isAnomalyEnabled()).toBe(false);
  });

  test('the forward stack names the line of the op that made the failing node', () => {
    const x = torch.tensor([0.0, 1.0], { requiresGrad: true });
    let y;
    const line = Number(new Error().stack.split('\n')[1].match(/:(\d+):\d+\)?$/)[1]) + 2;
    torch.autograd.detectAnomaly(() => {
      y = x.sqrt(); // the op named
      expect(() => y.mul(0).sum().backward()).toThrow(`anomaly.test.mjs:${line}:`);
    });
  });

  test('nothing is recorded outside the mode: a graph built before it names no stack', () => {
    const x = torch.tensor([0.0, 1.0], { requiresGrad: true });
    const y = x.sqrt().mul(0).sum();
    const e = (() => {
      try {
        torch.autograd.detectAnomaly(() => y.backward());
      } catch (err) {
        return err;
      }
      return null;
    })();
    expect(e.message).toBe("Function 'SqrtBackward0' returned nan values in its 0th output.");
  });

  test('the flags through nested scopes and the non-scoped form, as torch', () => {
    const ad = torch.autograd;
    const flags = () => [ad.isAnomalyEnabled(), ad.isAnomalyCheckNanEnabled()];
    const trace = [flags()];
    ad.detectAnomaly(() => {
      trace.push(flags());
      ad.setDetectAnomaly(false, () => {
        trace.push(flags());
        ad.detectAnomaly(() => trace.push(flags()), { checkNan: false });
        trace.push(flags());
      });
      trace.push(flags());
    });
    trace.push(flags());
    expect(() =>
      ad.detectAnomaly(() => {
        throw new Error('x');
      }, { checkNan: false }),
    ).toThrow('x');
    trace.push(flags());
    expect(ad.setDetectAnomaly(true)).toBe(false);
    trace.push(flags());
    expect(ad.setDetectAnomaly(false)).toBe(true);
    trace.push(flags());
    expect(trace).toEqual(fixture.flags);
  });

  test('bad arguments throw before anything changes', () => {
    const ad = torch.autograd;
    expect(() => ad.detectAnomaly(5)).toThrow('detectAnomaly expects a function, got number 5');
    expect(() => ad.detectAnomaly(() => 1, { checkNans: true })).toThrow("detectAnomaly(): unexpected option 'checkNans'");
    expect(() => ad.setDetectAnomaly('yes')).toThrow('setDetectAnomaly: enabled must be a boolean');
    expect(() => ad.detectAnomaly(async () => 1)).toThrow();
    expect(ad.isAnomalyEnabled()).toBe(false);
    expect(ad.isAnomalyCheckNanEnabled()).toBe(true);
    expect(torch.isGradEnabled()).toBe(true);
  });

  test('the mode is process-wide per engine and leaves the grad modes alone', () => {
    const ad = torch.autograd;
    torch.noGrad(() => ad.detectAnomaly(() => expect(torch.isGradEnabled()).toBe(false)));
    expect(torch.isGradEnabled()).toBe(true);
    expect(torch.modeStack()).toEqual([]);
  });
});
