// nn.RNN, nn.LSTM, nn.GRU and nn.RNNCell, nn.LSTMCell, nn.GRUCell (torch/nn/modules/rnn.py),
// composed from existing ops (linear, narrow, select, sigmoid, tanh, relu, stack, cat): the
// autograd of those ops gives backward and double backward.
//
// Note [RNN arithmetic order]
// The cells add in the order of ATen's CPU cells (aten/src/ATen/native/RNN.cpp) so float32
// results match torch's to rounding: a layer first projects the whole sequence at once
// (x W_ih^T + b_ih, one matmul), then per step
//   simple: h' = act((h W_hh^T + b_hh) + gi)
//   LSTM:   gates = (h W_hh^T + b_hh) + gi, chunks i, f, g, o;  c' = f*c + i*g;  h' = o * tanh(c')
//   GRU:    r = sigmoid(gh_r + gi_r), z = sigmoid(gh_z + gi_z), n = tanh(gi_n + gh_n * r),
//           h' = (h - n) * z + n        (b_hn stays inside r * (...), as in PyTorch)
// where gi is the step's input projection and gh = h W_hh^T + b_hh.
//
// Note [RNN shapes and errors]
// Modules take [T, B, I] (batchFirst: [B, T, I]) or an unbatched [T, I], cells [B, I] or [I];
// the checks and their texts follow torch 1.13's Python forward step by step (an input of
// other rank is treated as unbatched and unsqueezed first, so a 4-D input reports "got 5",
// as torch does). Results are [output, h_n] (LSTM: [output, [h_n, c_n]]), arrays for tuples.

import { MODULE_UNSUPPORTED, checkOptions, isOptionsObject } from '../options.mjs';
import { describe } from '../runtime.mjs';
import { pyNumber } from './format.mjs';
import { checkSize } from './linear.mjs';

// One step of each cell kind: (gi, state, wHh, bHh, H) -> the new state (a Tensor, or [h, c]).
const STEPS = {
  RNN_TANH: (F, gi, h, wHh, bHh) => F.linear(h, wHh, bHh).add(gi).tanh(),
  RNN_RELU: (F, gi, h, wHh, bHh) => F.linear(h, wHh, bHh).add(gi).relu(),
  LSTM(F, gi, [h, c], wHh, bHh, H) {
    const gates = F.linear(h, wHh, bHh).add(gi);
    const i = gates.narrow(1, 0, H).sigmoid();
    const f = gates.narrow(1, H, H).sigmoid();
    const g = gates.narrow(1, 2 * H, H).tanh();
    const o = gates.narrow(1, 3 * H, H).sigmoid();
    const c2 = f.mul(c).add(i.mul(g));
    return [o.mul(c2.tanh()), c2];
  },
  GRU(F, gi, h, wHh, bHh, H) {
    const gh = F.linear(h, wHh, bHh);
    const r = gh.narrow(1, 0, H).add(gi.narrow(1, 0, H)).sigmoid();
    const z = gh.narrow(1, H, H).add(gi.narrow(1, H, H)).sigmoid();
    const n = gi.narrow(1, 2 * H, H).add(gh.narrow(1, 2 * H, H).mul(r)).tanh();
    return h.sub(n).mul(z).add(n);
  },
};
const GATES = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };
const hiddenOf = (state) => (Array.isArray(state) ? state[0] : state);
const pyBool = (b) => (b ? 'True' : 'False');
const pyTuple = (a) => `(${a.join(', ')})`;
const pyList = (a) => `[${a.join(', ')}]`;

export function createRNN({ torch, Tensor, Module, F, init, emptyParameter }) {
  function tensorArg(cls, what, v) {
    if (!(v instanceof Tensor)) throw new Error(`${cls}.forward(): ${what} must be a Tensor, got ${describe(v)}`);
    return v;
  }
  // An LSTM's state argument: null / undefined, or [h, c].
  function pairArg(cls, what, v) {
    if (v === null || v === undefined) return null;
    if (!Array.isArray(v) || v.length !== 2) throw new Error(`${cls}.forward(): ${what} must be an array [h, c] of two Tensors, got ${describe(v)}`);
    return [tensorArg(cls, `${what}[0]`, v[0]), tensorArg(cls, `${what}[1]`, v[1])];
  }
  function resetUniform(module) {
    const stdv = module.hiddenSize > 0 ? 1 / Math.sqrt(module.hiddenSize) : 0;
    for (const p of module.parameters()) init.uniform_(p, -stdv, stdv);
  }

  // ---- the layers ----
  class RNNBase extends Module {
    constructor(cls, mode, inputSize, hiddenSize, numLayers, options, extraOptions, unsupported) {
      super();
      if (isOptionsObject(numLayers)) [options, numLayers] = [numLayers, undefined];
      const o = checkOptions(cls, options, { numLayers: 'integer', bias: 'boolean', batchFirst: 'boolean', dropout: 'any', bidirectional: 'boolean', ...extraOptions },
        [...MODULE_UNSUPPORTED, ...unsupported]);
      if (numLayers != null && o.numLayers !== undefined) throw new Error(`${cls}(): numLayers given twice`);
      const { numLayers: layers = numLayers ?? 1, bias = true, batchFirst = false, dropout = 0, bidirectional = false } = o;
      checkSize(cls, 'inputSize', inputSize);
      checkSize(cls, 'hiddenSize', hiddenSize);
      if (!Number.isInteger(layers) || layers < 1) throw new Error(`${cls}(): numLayers must be a positive integer, got ${describe(layers)}`);
      if (typeof dropout !== 'number' || !(dropout >= 0 && dropout <= 1))
        throw new Error('dropout should be a number in range [0, 1] representing the probability of an element being zeroed');
      Object.assign(this, { mode, inputSize, hiddenSize, numLayers: layers, bias, batchFirst, dropout, bidirectional });
      const gateSize = GATES[mode] * hiddenSize;
      const directions = bidirectional ? 2 : 1;
      // Registered in PyTorch's order: per layer, per direction, w_ih, w_hh, b_ih, b_hh.
      for (let layer = 0; layer < layers; layer++) {
        const layerInput = layer === 0 ? inputSize : hiddenSize * directions;
        for (let d = 0; d < directions; d++) {
          const sfx = `_l${layer}${d === 1 ? '_reverse' : ''}`;
          this[`weight_ih${sfx}`] = emptyParameter([gateSize, layerInput]);
          this[`weight_hh${sfx}`] = emptyParameter([gateSize, hiddenSize]);
          if (bias) {
            this[`bias_ih${sfx}`] = emptyParameter([gateSize]);
            this[`bias_hh${sfx}`] = emptyParameter([gateSize]);
          }
        }
      }
      this.resetParameters();
    }
    resetParameters() {
      resetUniform(this);
    }
    // PyTorch compacts cuDNN weights here; webtorch's are always usable as they are.
    flattenParameters() {}

    // One direction of one layer over xs [T, B, I]: [outputs [T, B, H], final state].
    _direction(xs, state, layer, reverse) {
      const sfx = `_l${layer}${reverse ? '_reverse' : ''}`;
      const step = STEPS[this.mode];
      const gi = F.linear(xs, this[`weight_ih${sfx}`], this.bias ? this[`bias_ih${sfx}`] : null);
      const wHh = this[`weight_hh${sfx}`];
      const bHh = this.bias ? this[`bias_hh${sfx}`] : null;
      const T = xs.shape[0];
      const outs = new Array(T);
      for (let k = 0; k < T; k++) {
        const t = reverse ? T - 1 - k : k;
        state = step(F, gi.select(0, t), state, wHh, bHh, this.hiddenSize);
        outs[t] = hiddenOf(state);
      }
      return [torch.stack(outs, 0), state];
    }

    // x [T, B, I] (time first), initial states [L*D, B, H] (LSTM: [h0, c0]).
    _run(x, h0, c0) {
      const directions = this.bidirectional ? 2 : 1;
      const lstm = this.mode === 'LSTM';
      const hs = [];
      const cs = [];
      let layerInput = x;
      for (let layer = 0; layer < this.numLayers; layer++) {
        const outs = [];
        for (let d = 0; d < directions; d++) {
          const i = layer * directions + d;
          const state = lstm ? [h0.select(0, i), c0.select(0, i)] : h0.select(0, i);
          const [out, last] = this._direction(layerInput, state, layer, d === 1);
          outs.push(out);
          hs.push(hiddenOf(last));
          if (lstm) cs.push(last[1]);
        }
        layerInput = directions === 1 ? outs[0] : torch.cat(outs, 2);
        // Dropout between layers, not after the last (as torch).
        if (this.dropout > 0 && this.training && layer < this.numLayers - 1) layerInput = F.dropout(layerInput, this.dropout, true);
      }
      return [layerInput, torch.stack(hs, 0), lstm ? torch.stack(cs, 0) : null];
    }

    forward(input, hx = null) {
      const cls = this._getName();
      const lstm = this.mode === 'LSTM';
      tensorArg(cls, 'input', input);
      let h0 = null;
      let c0 = null;
      if (lstm) [h0, c0] = pairArg(cls, 'hx', hx) ?? [null, null];
      else if (hx !== null && hx !== undefined) h0 = tensorArg(cls, 'hx', hx);
      // Note [RNN shapes and errors]: the checks in torch 1.13's order, before any op runs.
      const batched = input.ndim === 3;
      const stateDims = batched ? 3 : 2;
      if (h0 !== null && (h0.ndim !== stateDims || (lstm && c0.ndim !== stateDims))) {
        const what = batched ? 'batched 3-D' : 'unbatched 2-D';
        if (lstm) throw new Error(`For ${what} input, hx and cx should also be ${stateDims}-D but got (${h0.ndim}-D, ${c0.ndim}-D) tensors`);
        throw new Error(`For ${what} input, hx should also be ${stateDims}-D but got ${h0.ndim}-D tensor`);
      }
      const batchDim = this.batchFirst ? 0 : 1;
      const xShape = batched ? input.shape : [...input.shape];
      if (!batched) xShape.splice(Math.min(batchDim, xShape.length), 0, 1);
      if (xShape.length !== 3) throw new Error(`input must have 3 dimensions, got ${xShape.length}`);
      if (xShape[2] !== this.inputSize) throw new Error(`input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${xShape[2]}`);
      const expected = [this.numLayers * (this.bidirectional ? 2 : 1), xShape[batchDim], this.hiddenSize];
      const checkState = (t, msg) => {
        const shape = batched ? t.shape : [t.shape[0], 1, ...t.shape.slice(1)];
        if (shape.join() !== expected.join()) throw new Error(`${msg} ${pyTuple(expected)}, got ${pyList(shape)}`);
      };
      if (h0 !== null) checkState(h0, lstm ? 'Expected hidden[0] size' : 'Expected hidden size');
      if (c0 !== null) checkState(c0, 'Expected hidden[1] size');
      if (xShape[this.batchFirst ? 1 : 0] === 0) throw new Error('Expected sequence length to be larger than 0 in RNN');

      return torch.tidy(() => {
        let x = batched ? input : input.unsqueeze(batchDim);
        if (this.batchFirst) x = x.transpose(0, 1);
        const zeros = () => torch.zeros(expected);
        const h = h0 === null ? zeros() : batched ? h0 : h0.unsqueeze(1);
        const c = !lstm ? null : c0 === null ? zeros() : batched ? c0 : c0.unsqueeze(1);
        let [out, hn, cn] = this._run(x, h, c);
        if (this.batchFirst) out = out.transpose(0, 1);
        if (!batched) {
          out = out.squeeze(batchDim);
          hn = hn.squeeze(1);
          cn = cn?.squeeze(1) ?? null;
        }
        return lstm ? [out, [hn, cn]] : [out, hn];
      });
    }

    extraRepr() {
      let s = `${this.inputSize}, ${this.hiddenSize}`;
      if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
      if (this.bias !== true) s += `, bias=${pyBool(this.bias)}`;
      if (this.batchFirst) s += `, batch_first=${pyBool(this.batchFirst)}`;
      if (this.dropout !== 0) s += `, dropout=${Number.isInteger(this.dropout) ? `${this.dropout}.0` : pyNumber(this.dropout)}`;
      if (this.bidirectional) s += `, bidirectional=${pyBool(this.bidirectional)}`;
      return s;
    }
  }

  // nn.RNN(inputSize, hiddenSize, { numLayers, nonlinearity: 'tanh' | 'relu', bias, batchFirst, dropout, bidirectional }).
  class RNN extends RNNBase {
    constructor(inputSize, hiddenSize, numLayers, options) {
      const o = isOptionsObject(numLayers) ? numLayers : isOptionsObject(options) ? options : {};
      const nonlinearity = o.nonlinearity ?? 'tanh';
      if (typeof nonlinearity === 'string' && nonlinearity !== 'tanh' && nonlinearity !== 'relu') throw new Error(`Unknown nonlinearity '${nonlinearity}'`);
      super('RNN', nonlinearity === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', inputSize, hiddenSize, numLayers, options, { nonlinearity: 'string' }, []);
      this.nonlinearity = nonlinearity;
    }
  }
  // nn.LSTM(inputSize, hiddenSize, { numLayers, bias, batchFirst, dropout, bidirectional }); projSize is not implemented.
  class LSTM extends RNNBase {
    constructor(inputSize, hiddenSize, numLayers, options) {
      super('LSTM', 'LSTM', inputSize, hiddenSize, numLayers, options, {}, ['projSize']);
    }
  }
  class GRU extends RNNBase {
    constructor(inputSize, hiddenSize, numLayers, options) {
      super('GRU', 'GRU', inputSize, hiddenSize, numLayers, options, {}, []);
    }
  }

  // ---- the cells: one step, weight_ih [G*H, I], weight_hh [G*H, H], bias_ih, bias_hh ----
  class RNNCellBase extends Module {
    constructor(cls, gates, inputSize, hiddenSize, options, extraOptions) {
      super();
      const o = checkOptions(cls, options, { bias: 'boolean', ...extraOptions }, MODULE_UNSUPPORTED);
      const { bias = true } = o;
      checkSize(cls, 'inputSize', inputSize);
      checkSize(cls, 'hiddenSize', hiddenSize);
      this.inputSize = inputSize;
      this.hiddenSize = hiddenSize;
      this.bias = bias;
      this.weight_ih = emptyParameter([gates * hiddenSize, inputSize]);
      this.weight_hh = emptyParameter([gates * hiddenSize, hiddenSize]);
      if (bias) {
        this.bias_ih = emptyParameter([gates * hiddenSize]);
        this.bias_hh = emptyParameter([gates * hiddenSize]);
      } else {
        this.registerParameter('bias_ih', null);
        this.registerParameter('bias_hh', null);
      }
      this.resetParameters();
    }
    resetParameters() {
      resetUniform(this);
    }
    // The step with torch's checks (torch's assert, then ATen's check_rnn_cell_forward_*);
    // states are [B, H] Tensors (LSTM: two of them).
    _cell(mode, input, states) {
      const cls = this._getName();
      tensorArg(cls, 'input', input);
      if (input.ndim !== 1 && input.ndim !== 2) throw new Error(`${cls}: Expected input to be 1-D or 2-D but received ${input.ndim}-D tensor`);
      const batched = input.ndim === 2;
      const batch = batched ? input.shape[0] : 1;
      if (input.shape[input.ndim - 1] !== this.inputSize)
        throw new Error(`input has inconsistent input_size: got ${input.shape[input.ndim - 1]} expected ${this.inputSize}`);
      for (const s of states) {
        if (s === null) continue;
        const shape = batched ? s.shape : [1, ...s.shape];
        // torch 1.13 names both of the LSTM cell's states "hidden0".
        if (shape[0] !== batch) throw new Error(`Input batch size ${batch} doesn't match hidden0 batch size ${shape[0]}`);
        if (shape[1] !== this.hiddenSize) throw new Error(`hidden0 has inconsistent hidden_size: got ${shape[1]}, expected ${this.hiddenSize}`);
      }
      return torch.tidy(() => {
        const x = batched ? input : input.unsqueeze(0);
        const st = states.map((s) => (s === null ? torch.zeros([batch, this.hiddenSize]) : batched ? s : s.unsqueeze(0)));
        const gi = F.linear(x, this.weight_ih, this.bias_ih);
        const out = STEPS[mode](F, gi, mode === 'LSTM' ? st : st[0], this.weight_hh, this.bias_hh, this.hiddenSize);
        if (batched) return out;
        return Array.isArray(out) ? out.map((t) => t.squeeze(0)) : out.squeeze(0);
      });
    }
    extraRepr() {
      let s = `${this.inputSize}, ${this.hiddenSize}`;
      if (this.bias !== true) s += `, bias=${pyBool(this.bias)}`;
      if (this.nonlinearity !== undefined && this.nonlinearity !== 'tanh') s += `, nonlinearity=${this.nonlinearity}`;
      return s;
    }
  }
  // nn.RNNCell(inputSize, hiddenSize, { bias, nonlinearity }); an unknown nonlinearity throws
  // when called, as in torch.
  class RNNCell extends RNNCellBase {
    constructor(inputSize, hiddenSize, options) {
      super('RNNCell', 1, inputSize, hiddenSize, options, { nonlinearity: 'string' });
      this.nonlinearity = (isOptionsObject(options) ? options.nonlinearity : null) ?? 'tanh';
    }
    forward(input, hx = null) {
      if (hx !== null && hx !== undefined) tensorArg('RNNCell', 'hx', hx);
      const mode = { tanh: 'RNN_TANH', relu: 'RNN_RELU' }[this.nonlinearity];
      if (mode === undefined) {
        tensorArg('RNNCell', 'input', input);
        if (input.ndim === 1 || input.ndim === 2) throw new Error(`Unknown nonlinearity: ${this.nonlinearity}`);
      }
      return this._cell(mode, input, [hx ?? null]);
    }
  }
  // nn.LSTMCell(inputSize, hiddenSize, { bias }): call(x, [h, c]) -> [h', c'].
  class LSTMCell extends RNNCellBase {
    constructor(inputSize, hiddenSize, options) {
      super('LSTMCell', 4, inputSize, hiddenSize, options, {});
    }
    forward(input, hx = null) {
      return this._cell('LSTM', input, pairArg('LSTMCell', 'hx', hx) ?? [null, null]);
    }
  }
  class GRUCell extends RNNCellBase {
    constructor(inputSize, hiddenSize, options) {
      super('GRUCell', 3, inputSize, hiddenSize, options, {});
    }
    forward(input, hx = null) {
      if (hx !== null && hx !== undefined) tensorArg('GRUCell', 'hx', hx);
      return this._cell('GRU', input, [hx ?? null]);
    }
  }
  return { RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell };
}
