// The functional half of the transformer layers (issue 14): F.embedding, F.layerNorm and
// F.scaledDotProductAttention, plus torch.embedding / torch.layerNorm (PyTorch's
// torch.embedding and torch.layer_norm, the single ops the functional forms call).
//   F.embedding(input, weight, paddingIdx?)            or F.embedding(input, weight, { paddingIdx })
//   F.layerNorm(input, normalizedShape, weight?, bias?, eps = 1e-5)
//                                                       or F.layerNorm(input, normalizedShape, { weight, bias, eps })
//   F.scaledDotProductAttention(q, k, v, { attnMask, dropoutP, isCausal })

import { checkOptions, isOptionsObject as isOptions } from '../options.mjs';
import { describe } from '../runtime.mjs';

// F.embedding's keywords webtorch does not implement (renormalising rows, frequency scaling,
// sparse gradients): refused by name when given.
const EMBEDDING_UNSUPPORTED = ['maxNorm', 'normType', 'scaleGradByFreq', 'sparse'];

export function installTransformerFunctional(F, torch, Tensor, rt, { live, own, wrap }) {
  const { M } = rt;
  const optTensor = (v, what) => (v === undefined || v === null ? 0 : live(own(v, what)));

  function int32(fn, what, v) {
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) throw new Error(`${fn}(): argument '${what}' must be an int, got ${describe(v)}`);
    return v;
  }

  // torch.embedding(weight, indices, paddingIdx = -1): padding_idx < 0 is "none" here, as in
  // PyTorch's op (F.embedding wraps a negative one first).
  torch.embedding = (weight, indices, paddingIdx = -1) =>
    wrap(M._wt_embedding(live(own(weight, 'embedding')), live(own(indices, 'embedding')), int32('embedding', 'padding_idx', paddingIdx)));

  function shapeOf(fn, v) {
    const shape = Number.isInteger(v) ? [v] : v;
    if (!Array.isArray(shape) || !shape.every(Number.isInteger)) throw new Error(`${fn}(): argument 'normalized_shape' must be an int or a list of ints, got ${describe(v)}`);
    return shape;
  }

  // torch.layerNorm(input, normalizedShape, weight?, bias?, eps = 1e-5).
  torch.layerNorm = (input, normalizedShape, weight = null, bias = null, eps = 1e-5) => {
    const shape = shapeOf('layer_norm', normalizedShape);
    if (typeof eps !== 'number') throw new Error(`layer_norm(): argument 'eps' must be a number, got ${describe(eps)}`);
    const x = live(own(input, 'layerNorm'));
    const w = optTensor(weight, 'layerNorm');
    const b = optTensor(bias, 'layerNorm');
    rt.writeInts(shape);
    return wrap(M._wt_layer_norm(x, shape.length, w, b, eps));
  };

  F.embedding = (input, weight, paddingIdx, ...rest) => {
    let o = { paddingIdx };
    if (isOptions(paddingIdx)) o = checkOptions('embedding', paddingIdx, { paddingIdx: 'integer' }, EMBEDDING_UNSUPPORTED);
    else if (rest.some((r) => r !== undefined && r !== null && r !== false)) throw new Error(`embedding(): maxNorm, normType, scaleGradByFreq and sparse are not supported by webtorch`);
    own(weight, 'embedding');
    let p = o.paddingIdx ?? -1;
    if (o.paddingIdx !== undefined && o.paddingIdx !== null) {
      const n = weight.shape[0];
      if (p > 0 && p >= n) throw new Error('Padding_idx must be within num_embeddings');
      if (p < 0) {
        if (p < -n) throw new Error('Padding_idx must be within num_embeddings');
        p += n;
      }
    }
    return torch.embedding(weight, input, p);
  };

  F.layerNorm = (input, normalizedShape, weight, bias, eps) => {
    if (isOptions(weight) && !(weight instanceof Tensor)) ({ weight, bias, eps } = checkOptions('layerNorm', weight, { weight: 'any', bias: 'any', eps: 'number' }));
    return torch.layerNorm(input, normalizedShape, weight ?? null, bias ?? null, eps ?? 1e-5);
  };

  // PyTorch 2's math (torch.nn.functional.scaled_dot_product_attention's reference):
  // softmax(q k^T / sqrt(E) + bias) v, bias from attnMask (a bool mask: -inf where false; a
  // float mask: added) or isCausal (-inf above the diagonal, top-left aligned); dropout on the
  // weights when dropoutP > 0.
  F.scaledDotProductAttention = (query, key, value, options) => {
    const o = checkOptions('scaledDotProductAttention', options, { attnMask: 'any', dropoutP: 'number', isCausal: 'boolean' }, ['scale']);
    const q = own(query, 'scaledDotProductAttention');
    const k = own(key, 'scaledDotProductAttention');
    const v = own(value, 'scaledDotProductAttention');
    const mask = o.attnMask === undefined ? null : own(o.attnMask, 'scaledDotProductAttention');
    const p = o.dropoutP ?? 0;
    if (p < 0 || p > 1) throw new Error(`dropout probability has to be between 0 and 1, but got ${p}`);
    if (o.isCausal && mask) throw new Error('_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True');
    if (mask && mask.dtype !== 'bool' && mask.dtype !== q.dtype)
      throw new Error(`Expected attn_mask dtype to be bool or to match query dtype, but got attn_mask.dtype: ${mask.dtype} and  query.dtype: ${q.dtype} instead.`);
    return torch.tidy(() => {
      const L = q.shape[q.ndim - 2];
      const S = k.shape[k.ndim - 2];
      const scale = 1 / Math.sqrt(q.shape[q.ndim - 1]);
      let w = q.matmul(k.transpose(-2, -1)).mul(scale);
      if (o.isCausal) w = w.add(causalBias(L, S));
      else if (mask) w = w.add(mask.dtype === 'bool' ? torch.where(mask, 0, -Infinity) : mask);
      w = w.softmax(-1);
      if (p > 0) w = F.dropout(w, p, true);
      return w.matmul(v);
    });
  };

  // [L, S]: 0 where j <= i, -inf above (torch.ones(L, S, dtype=bool).tril()'s complement).
  function causalBias(L, S) {
    const data = new Float32Array(L * S);
    for (let i = 0; i < L; i++) for (let j = i + 1; j < S; j++) data[i * S + j] = -Infinity;
    return torch.tensor(data).view(L, S);
  }
}
