// The transformer layers (torch/nn/modules/sparse.py, normalization.py, activation.py):
// nn.Embedding, nn.LayerNorm and nn.MultiheadAttention, with PyTorch 1.13's parameter names,
// initialisation, defaults and state-dict keys.

import { MODULE_UNSUPPORTED, checkOptions } from '../options.mjs';
import { pyFloat } from './format.mjs';
import { checkSize } from './linear.mjs';

export function createTransformerLayers({ torch, Module, F, init, emptyParameter }) {
  // Embedding(numEmbeddings, embeddingDim, { paddingIdx }): weight ~ N(0, 1), the padding row 0.
  class Embedding extends Module {
    constructor(numEmbeddings, embeddingDim, options = {}) {
      super();
      const o = checkOptions('Embedding', options, { paddingIdx: 'integer', _weight: 'any' },
        ['maxNorm', 'normType', 'scaleGradByFreq', 'sparse', ...MODULE_UNSUPPORTED]);
      this.numEmbeddings = checkSize('Embedding', 'numEmbeddings', numEmbeddings);
      this.embeddingDim = checkSize('Embedding', 'embeddingDim', embeddingDim);
      let p = o.paddingIdx ?? null;
      if (p !== null) {
        if (p > 0 && p >= numEmbeddings) throw new Error('Padding_idx must be within num_embeddings');
        if (p < 0) {
          if (p < -numEmbeddings) throw new Error('Padding_idx must be within num_embeddings');
          p += numEmbeddings;
        }
      }
      this.paddingIdx = p;
      if (o._weight) {
        const shape = o._weight.shape;
        if (shape.length !== 2 || shape[0] !== numEmbeddings || shape[1] !== embeddingDim)
          throw new Error('Shape of weight does not match num_embeddings and embedding_dim');
        this.weight = new torch.nn.Parameter(o._weight);
      } else {
        this.weight = emptyParameter([numEmbeddings, embeddingDim]);
        this.resetParameters();
      }
    }
    resetParameters() {
      init.normal_(this.weight);
      if (this.paddingIdx !== null) torch.noGrad(() => this.weight.select(0, this.paddingIdx).fill_(0));
    }
    forward(input) {
      return F.embedding(input, this.weight, this.paddingIdx);
    }
    extraRepr() {
      return `${this.numEmbeddings}, ${this.embeddingDim}` + (this.paddingIdx !== null ? `, padding_idx=${this.paddingIdx}` : '');
    }
  }

  // LayerNorm(normalizedShape, { eps = 1e-5, elementwiseAffine = true }): weight 1, bias 0.
  class LayerNorm extends Module {
    constructor(normalizedShape, options = {}) {
      super();
      const o = checkOptions('LayerNorm', options, { eps: 'number', elementwiseAffine: 'boolean' }, MODULE_UNSUPPORTED);
      const shape = Number.isInteger(normalizedShape) ? [normalizedShape] : normalizedShape;
      if (!Array.isArray(shape) || !shape.every((v) => Number.isInteger(v) && v >= 0))
        throw new Error(`LayerNorm(): normalizedShape must be an int or a list of ints, got ${String(normalizedShape)}`);
      this.normalizedShape = [...shape];
      this.eps = o.eps ?? 1e-5;
      this.elementwiseAffine = o.elementwiseAffine ?? true;
      if (this.elementwiseAffine) {
        this.weight = emptyParameter(this.normalizedShape);
        this.bias = emptyParameter(this.normalizedShape);
        this.resetParameters();
      } else {
        this.registerParameter('weight', null);
        this.registerParameter('bias', null);
      }
    }
    resetParameters() {
      if (!this.elementwiseAffine) return;
      init.ones_(this.weight);
      init.zeros_(this.bias);
    }
    forward(input) {
      return F.layerNorm(input, this.normalizedShape, this.weight, this.bias, this.eps);
    }
    extraRepr() {
      const shape = `(${this.normalizedShape.join(', ')}${this.normalizedShape.length === 1 ? ',' : ''})`;
      return `${shape}, eps=${pyFloat(this.eps)}, elementwise_affine=${this.elementwiseAffine ? 'True' : 'False'}`;
    }
  }

  // MultiheadAttention(embedDim, numHeads, { dropout, bias, batchFirst }): PyTorch 1.13's
  // packed projection (in_proj_weight [3E, E], in_proj_bias [3E], out_proj), initialised as
  // _reset_parameters does (out_proj drawn first as a Linear, then xavier_uniform_ of
  // in_proj_weight, biases 0). forward(query, key, value, { keyPaddingMask, needWeights,
  // attnMask, averageAttnWeights }) returns [output, weights] (weights null when
  // needWeights is false), F.multi_head_attention_forward's math.
  class MultiheadAttention extends Module {
    constructor(embedDim, numHeads, options = {}) {
      super();
      const o = checkOptions('MultiheadAttention', options, { dropout: 'number', bias: 'boolean', batchFirst: 'boolean', kdim: 'integer', vdim: 'integer' },
        ['addBiasKv', 'addZeroAttn', ...MODULE_UNSUPPORTED]);
      this.embedDim = checkSize('MultiheadAttention', 'embedDim', embedDim);
      this.numHeads = checkSize('MultiheadAttention', 'numHeads', numHeads);
      for (const k of ['kdim', 'vdim'])
        if (o[k] !== undefined && o[k] !== embedDim) throw new Error(`MultiheadAttention(): option '${k}' different from embedDim is not supported by webtorch`);
      this.dropout = o.dropout ?? 0;
      this.batchFirst = o.batchFirst ?? false;
      this.headDim = Math.floor(embedDim / numHeads);
      if (this.headDim * numHeads !== embedDim) throw new Error('embed_dim must be divisible by num_heads');
      const bias = o.bias ?? true;
      this.in_proj_weight = emptyParameter([3 * embedDim, embedDim]);
      if (bias) this.in_proj_bias = emptyParameter([3 * embedDim]);
      else this.registerParameter('in_proj_bias', null);
      this.out_proj = new torch.nn.Linear(embedDim, embedDim, { bias });
      this.resetParameters();
    }
    resetParameters() {
      init.xavierUniform_(this.in_proj_weight);
      if (this.in_proj_bias) {
        init.constant_(this.in_proj_bias, 0);
        init.constant_(this.out_proj.bias, 0);
      }
    }
    forward(query, key, value, options) {
      const o = checkOptions('MultiheadAttention.forward', options, { keyPaddingMask: 'any', needWeights: 'boolean', attnMask: 'any', averageAttnWeights: 'boolean' });
      const needWeights = o.needWeights ?? true;
      const average = o.averageAttnWeights ?? true;
      const batched = query.ndim === 3;
      if (!batched && query.ndim !== 2) throw new Error(`query should be unbatched 2D or batched 3D tensor but received ${query.ndim}-D query tensor`);
      return torch.tidy(() => {
        // To PyTorch's (L, N, E) layout.
        const seq = (t) => (!batched ? t.unsqueeze(1) : this.batchFirst ? t.transpose(0, 1) : t);
        const [q0, k0, v0] = [seq(query), seq(key), seq(value)];
        const [L, N, E] = q0.shape;
        const S = k0.shape[0];
        const H = this.numHeads;
        const hd = this.headDim;
        const w = this.in_proj_weight;
        const b = this.in_proj_bias;
        const proj = (x, i) => F.linear(x, w.narrow(0, i * E, E), b ? b.narrow(0, i * E, E) : null);
        // (T, N, E) -> (N * H, T, hd)
        const heads = (t, T) => t.contiguous().view(T, N * H, hd).transpose(0, 1);
        const q = heads(proj(q0, 0), L);
        const k = heads(proj(k0, 1), S);
        const v = heads(proj(v0, 2), S);
        const mask = this._attentionMask(o.attnMask, o.keyPaddingMask, L, S, N, batched);
        let att = q.div(Math.sqrt(hd)).matmul(k.transpose(-2, -1));
        if (mask) att = att.add(mask);
        att = att.softmax(-1);
        if (this.training && this.dropout > 0) att = F.dropout(att, this.dropout, true);
        let out = att.matmul(v).transpose(0, 1).contiguous().view(L * N, E);
        out = this.out_proj.forward(out).view(L, N, E);
        if (!batched) out = out.squeeze(1);
        else if (this.batchFirst) out = out.transpose(0, 1);
        if (!needWeights) return [out, null];
        let weights = att.view(N, H, L, S);
        if (average) weights = weights.mean(1);
        if (!batched) weights = weights.squeeze(0);
        return [out, weights];
      });
    }
    // attnMask ([L, S] or [N * H, L, S]) and keyPaddingMask ([N, S]) as one additive float
    // mask (a true in a bool mask is -inf: the position is not attended).
    _attentionMask(attnMask, keyPaddingMask, L, S, N, batched) {
      const additive = (m) => (m.dtype === 'bool' ? torch.where(m, -Infinity, 0) : m);
      let mask = null;
      if (attnMask !== undefined) {
        const m = additive(attnMask);
        if (m.ndim === 2) {
          if (m.shape[0] !== L || m.shape[1] !== S) throw new Error(`The shape of the 2D attn_mask is [${m.shape.join(', ')}], but should be (${L}, ${S}).`);
          mask = m.unsqueeze(0);
        } else {
          const want = [N * this.numHeads, L, S];
          if (m.ndim !== 3 || m.shape.some((d, i) => d !== want[i])) throw new Error(`The shape of the 3D attn_mask is [${m.shape.join(', ')}], but should be (${want.join(', ')}).`);
          mask = m;
        }
      }
      if (keyPaddingMask !== undefined) {
        const kp = additive(batched ? keyPaddingMask : keyPaddingMask.unsqueeze(0))
          .view(N, 1, 1, S).expand(N, this.numHeads, 1, S).reshape(N * this.numHeads, 1, S);
        mask = mask ? mask.add(kp) : kp;
      }
      return mask;
    }
  }
  return { Embedding, LayerNorm, MultiheadAttention };
}
