// torch.optim.lr_scheduler (torch.optim.lrScheduler): StepLR, MultiStepLR, ExponentialLR,
// CosineAnnealingLR and LambdaLR, as PyTorch 1.13.1's _LRScheduler runs them.
//
// Note [Learning-rate schedulers]
// Construction sets each group's initialLr (PyTorch's initial_lr) when lastEpoch is -1, takes
// baseLrs from them, and performs the first step (lastEpoch becomes 0), as PyTorch does. Each
// step() computes the new rates with PyTorch's chainable (recursive) formulas from the groups'
// current lr: StepLR and ExponentialLR multiply by gamma, and CosineAnnealingLR uses the ratio
// of consecutive cosines, whose last bits differ from the closed form; the closed form is used
// only where PyTorch uses it (the first step of a scheduler resumed with lastEpoch > 0). Every
// value is a JavaScript double computed in PyTorch's order of operations. The cosine is the
// correctly rounded one (cos below), not V8's Math.cos: Python's math.cos (glibc) is correctly
// rounded but for rare near-halfway arguments, and Math.cos is one ulp off far more often
// (cos(12π/10): Math.cos -0.8090169943749475, glibc -0.8090169943749476). Over π·e/T for
// T < 60, e < 200, this cos differs from glibc's at 9 of 11800 arguments, Math.cos at 338;
// it agrees at every argument the fixtures use, so those rates are PyTorch's exactly.
// step(epoch), deprecated in PyTorch, is not offered; nor is verbose.
// stateDict() is PyTorch's state_dict() (every attribute but the optimizer, camelCase; LambdaLR
// writes null for each function) and loadStateDict(sd) copies those attributes back.

import { checkOptions } from '../options.mjs';
import { describe } from '../runtime.mjs';
import { pyTypeName } from '../nn/format.mjs';
import { camelCase, copyPlain } from './optimizer.mjs';

// cos(x) rounded once to the nearest double: x reduced by π/2 and the Taylor series summed in
// 256-bit fixed point (BigInt), then converted with one rounding (Number(bigint) rounds to
// nearest). π comes from Machin's formula, π/4 = 4 atan(1/5) - atan(1/239).
const BITS = 256n;
const ONE = 1n << BITS;
const atanInverse = (n) => {
  let sum = 0n;
  let power = ONE / n;
  for (let k = 1n, sign = 1n; power !== 0n; k += 2n, sign = -sign, power /= n * n) sum += (sign * power) / k;
  return sum;
};
const HALF_PI = (4n * (4n * atanInverse(5n) - atanInverse(239n))) >> 1n;
const mulFixed = (a, b) => (a * b) >> BITS;

function series(r, odd) {
  // cos r = sum (-1)^k r^2k / (2k)!, sin r = sum (-1)^k r^(2k+1) / (2k+1)!
  const r2 = mulFixed(r, r);
  let term = odd ? r : ONE;
  let sum = 0n;
  for (let n = odd ? 1n : 0n; term !== 0n; n += 2n) {
    sum += term;
    term = -mulFixed(term, r2) / ((n + 1n) * (n + 2n));
  }
  return sum;
}

export function cos(x) {
  // Tiny arguments round to 1; huge or non-finite ones are left to Math.cos.
  if (!(Math.abs(x) < 2 ** 50)) return Math.cos(x);
  if (Math.abs(x) < 2 ** -28) return 1;
  const X = BigInt(x * 2 ** 256); // exact: x's last bit is at 2^-80 or above
  let q = X / HALF_PI;
  let r = X - q * HALF_PI;
  if (2n * r > HALF_PI) (r -= HALF_PI), (q += 1n);
  else if (2n * r < -HALF_PI) (r += HALF_PI), (q -= 1n);
  const quadrant = Number(((q % 4n) + 4n) % 4n);
  const v = quadrant === 0 ? series(r, false) : quadrant === 1 ? -series(r, true) : quadrant === 2 ? -series(r, false) : series(r, true);
  return Number(v) * 2 ** -256;
}

// verbose (printing each rate) is a PyTorch keyword of every scheduler that webtorch lacks.
function options(name, o, known) {
  o = checkOptions(name, o, known, ['verbose']);
  const { lastEpoch = -1 } = o;
  if (!Number.isInteger(lastEpoch)) throw new Error(`${name}(): lastEpoch must be an integer, got ${describe(lastEpoch)}`);
  return o;
}

function number(name, what, v) {
  if (typeof v !== 'number') throw new TypeError(`${name}(): ${what} must be a number, got ${describe(v)}`);
  return v;
}

export function createSchedulers(Optimizer) {
  class LRScheduler {
    constructor(optimizer, lastEpoch) {
      if (!(optimizer instanceof Optimizer)) throw new TypeError(`${pyTypeName(optimizer)} is not an Optimizer`);
      if (lastEpoch === -1) {
        for (const g of optimizer.paramGroups) if (!('initialLr' in g)) g.initialLr = g.lr;
      } else {
        optimizer.paramGroups.forEach((g, i) => {
          if (!('initialLr' in g)) throw new Error(`param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`);
        });
      }
      Object.defineProperty(this, 'optimizer', { value: optimizer, enumerable: false, writable: false });
      this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr);
      this.lastEpoch = lastEpoch;
    }

    // Subclass constructors call this last, once their own attributes are set.
    _initialStep() {
      this._stepCount = 0;
      this.step();
    }

    // The rates for this.lastEpoch (PyTorch's get_lr(); use getLastLr() for the current ones).
    getLr() {
      throw new Error(`${this.constructor.name}.getLr() is not implemented`);
    }

    step(epoch) {
      if (epoch !== undefined)
        throw new Error(`${this.constructor.name}.step(epoch) is not supported (deprecated in PyTorch): call step() once per epoch`);
      this._stepCount += 1;
      this.lastEpoch += 1;
      const values = this.getLr();
      this.optimizer.paramGroups.forEach((g, i) => {
        if (i < values.length) g.lr = values[i];
      });
      this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
    }

    getLastLr() {
      return this._lastLr.slice();
    }

    stateDict() {
      const out = {};
      for (const [k, v] of Object.entries(this)) out[k] = copyPlain(v);
      return out;
    }

    loadStateDict(stateDict) {
      if (stateDict === null || typeof stateDict !== 'object' || Array.isArray(stateDict))
        throw new TypeError(`loadStateDict(): expected a state dict object, got ${describe(stateDict)}`);
      for (const [k, v] of Object.entries(stateDict)) {
        const key = k === 'T_max' ? 'tMax' : k.startsWith('_') ? `_${camelCase(k.slice(1))}` : camelCase(k);
        if (key !== 'optimizer') this[key] = copyPlain(v);
      }
    }
  }

  const currentLrs = (s) => s.optimizer.paramGroups.map((g) => g.lr);

  class StepLR extends LRScheduler {
    constructor(optimizer, stepSize, opts = {}) {
      const { gamma = 0.1, lastEpoch = -1 } = options('StepLR', opts, ['gamma', 'lastEpoch']);
      super(optimizer, lastEpoch);
      if (!Number.isInteger(stepSize)) throw new TypeError(`StepLR(): stepSize must be an integer, got ${describe(stepSize)}`);
      this.stepSize = stepSize;
      this.gamma = number('StepLR', 'gamma', gamma);
      this._initialStep();
    }
    getLr() {
      if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return currentLrs(this);
      return this.optimizer.paramGroups.map((g) => g.lr * this.gamma);
    }
  }

  class MultiStepLR extends LRScheduler {
    constructor(optimizer, milestones, opts = {}) {
      const { gamma = 0.1, lastEpoch = -1 } = options('MultiStepLR', opts, ['gamma', 'lastEpoch']);
      super(optimizer, lastEpoch);
      if (!Array.isArray(milestones) || !milestones.every(Number.isInteger))
        throw new TypeError(`MultiStepLR(): milestones must be an array of integers, got ${describe(milestones)}`);
      // PyTorch's Counter(milestones): a milestone listed twice decays by gamma ** 2.
      this.milestones = {};
      for (const m of milestones) this.milestones[m] = (this.milestones[m] ?? 0) + 1;
      this.gamma = number('MultiStepLR', 'gamma', gamma);
      this._initialStep();
    }
    getLr() {
      const count = this.milestones[this.lastEpoch];
      if (count === undefined) return currentLrs(this);
      return this.optimizer.paramGroups.map((g) => g.lr * this.gamma ** count);
    }
  }

  class ExponentialLR extends LRScheduler {
    constructor(optimizer, gamma, opts = {}) {
      const { lastEpoch = -1 } = options('ExponentialLR', opts, ['lastEpoch']);
      super(optimizer, lastEpoch);
      this.gamma = number('ExponentialLR', 'gamma', gamma);
      this._initialStep();
    }
    getLr() {
      if (this.lastEpoch === 0) return currentLrs(this);
      return this.optimizer.paramGroups.map((g) => g.lr * this.gamma);
    }
  }

  class CosineAnnealingLR extends LRScheduler {
    constructor(optimizer, tMax, opts = {}) {
      const { etaMin = 0, lastEpoch = -1 } = options('CosineAnnealingLR', opts, ['etaMin', 'lastEpoch']);
      super(optimizer, lastEpoch);
      this.tMax = number('CosineAnnealingLR', 'tMax', tMax);
      this.etaMin = number('CosineAnnealingLR', 'etaMin', etaMin);
      this._initialStep();
    }
    getLr() {
      const { lastEpoch: e, tMax, etaMin } = this;
      const groups = this.optimizer.paramGroups;
      if (e === 0) return currentLrs(this);
      if (this._stepCount === 1 && e > 0)
        return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + cos((e * Math.PI) / tMax))) / 2);
      // (e - 1 - tMax) divisible by 2 tMax: JavaScript's % and Python's agree on zero.
      if ((e - 1 - tMax) % (2 * tMax) === 0)
        return groups.map((g, i) => g.lr + ((this.baseLrs[i] - etaMin) * (1 - cos(Math.PI / tMax))) / 2);
      return groups.map(
        (g) => ((1 + cos((Math.PI * e) / tMax)) / (1 + cos((Math.PI * (e - 1)) / tMax))) * (g.lr - etaMin) + etaMin,
      );
    }
  }

  class LambdaLR extends LRScheduler {
    constructor(optimizer, lrLambda, opts = {}) {
      const { lastEpoch = -1 } = options('LambdaLR', opts, ['lastEpoch']);
      if (!(optimizer instanceof Optimizer)) throw new TypeError(`${pyTypeName(optimizer)} is not an Optimizer`);
      const n = optimizer.paramGroups.length;
      let lambdas;
      if (!Array.isArray(lrLambda)) lambdas = new Array(n).fill(lrLambda);
      else if (lrLambda.length !== n) throw new Error(`Expected ${n} lr_lambdas, but got ${lrLambda.length}`);
      else lambdas = lrLambda.slice();
      for (const f of lambdas) if (typeof f !== 'function') throw new TypeError(`LambdaLR(): lrLambda must be a function or an array of functions, got ${describe(f)}`);
      super(optimizer, lastEpoch);
      Object.defineProperty(this, 'lrLambdas', { value: lambdas, enumerable: false, writable: false });
      this._initialStep();
    }
    getLr() {
      return this.baseLrs.map((base, i) => base * this.lrLambdas[i](this.lastEpoch));
    }
    // PyTorch writes None for each plain function and a copy of a callable object's __dict__
    // otherwise; a JavaScript function's own enumerable properties play that part.
    stateDict() {
      const out = super.stateDict();
      out.lrLambdas = this.lrLambdas.map((f) => (Object.keys(f).length ? copyPlain({ ...f }) : null));
      return out;
    }
    loadStateDict(stateDict) {
      const { lrLambdas = [], lr_lambdas: snake = lrLambdas, ...rest } = stateDict ?? {};
      super.loadStateDict(rest);
      (snake ?? []).forEach((attrs, i) => {
        if (attrs !== null && attrs !== undefined && this.lrLambdas[i]) Object.assign(this.lrLambdas[i], copyPlain(attrs));
      });
    }
  }

  return { LRScheduler, StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LambdaLR };
}
