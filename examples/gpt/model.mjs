// The GPT of train_gpt.py in webtorch: nanoGPT's model (pre-LayerNorm blocks, causal
// self-attention, GELU MLP, the head tied to the token embedding), with PyTorch's state-dict
// keys (transformer.wte.weight, transformer.h.0.attn.c_attn.weight, ..., lm_head.weight), so
// model.safetensors (saved by safetensors' save_model) loads as it is.
//
// forward(idx) is the training / checking path (full causal attention over idx). Generation
// uses a key/value cache: createCache() makes one buffer per layer inside
// torch.inferenceMode, and forward(idx, { cache, pos }) writes the new keys and values into it
// in place and attends over the first pos + T positions. The buffers are inference tensors, so
// a step outside inferenceMode fails with PyTorch's "Inplace update to inference tensor
// outside InferenceMode is not allowed..." (the cache is meant for inference only).

export function createGPT(torch, config) {
  const { nn } = torch;
  const F = nn.functional;
  const { n_layer: nLayer, n_head: nHead, n_embd: C, block_size: blockSize, vocab_size: vocabSize } = config;
  const hd = C / nHead;

  class CausalSelfAttention extends nn.Module {
    constructor() {
      super();
      this.c_attn = new nn.Linear(C, 3 * C);
      this.c_proj = new nn.Linear(C, C);
    }
    forward(x, cache, layer, pos) {
      const [B, T] = x.shape;
      const qkv = this.c_attn.forward(x);
      // nanoGPT's split(C, dim=2), as narrow views; then (B, nh, T, hd).
      const heads = (i) => qkv.narrow(2, i * C, C).view(B, T, nHead, hd).transpose(1, 2);
      const q = heads(0);
      let k = heads(1);
      let v = heads(2);
      let y;
      if (cache) {
        // In place into the layer's buffers, then attend over everything cached so far.
        cache.k[layer].narrow(2, pos, T).copy_(k);
        cache.v[layer].narrow(2, pos, T).copy_(v);
        k = cache.k[layer].narrow(2, 0, pos + T);
        v = cache.v[layer].narrow(2, 0, pos + T);
        if (pos > 0 && T > 1) throw new Error('the cache takes a prompt at position 0 or one token at a time');
        y = F.scaledDotProductAttention(q, k, v, { isCausal: pos === 0 && T > 1 });
      } else {
        y = F.scaledDotProductAttention(q, k, v, { isCausal: true });
      }
      return this.c_proj.forward(y.transpose(1, 2).contiguous().view(B, T, C));
    }
  }

  class MLP extends nn.Module {
    constructor() {
      super();
      this.c_fc = new nn.Linear(C, 4 * C);
      this.gelu = new nn.GELU();
      this.c_proj = new nn.Linear(4 * C, C);
    }
    forward(x) {
      return this.c_proj.forward(this.gelu.forward(this.c_fc.forward(x)));
    }
  }

  class Block extends nn.Module {
    constructor() {
      super();
      this.ln_1 = new nn.LayerNorm(C);
      this.attn = new CausalSelfAttention();
      this.ln_2 = new nn.LayerNorm(C);
      this.mlp = new MLP();
    }
    forward(x, cache, layer, pos) {
      x = x.add(this.attn.forward(this.ln_1.forward(x), cache, layer, pos));
      return x.add(this.mlp.forward(this.ln_2.forward(x)));
    }
  }

  class GPT extends nn.Module {
    constructor() {
      super();
      this.transformer = new nn.ModuleDict({
        wte: new nn.Embedding(vocabSize, C),
        wpe: new nn.Embedding(blockSize, C),
        h: new nn.ModuleList(Array.from({ length: nLayer }, () => new Block())),
        ln_f: new nn.LayerNorm(C),
      });
      this.lm_head = new nn.Linear(C, vocabSize, { bias: false });
      this.transformer.wte.weight = this.lm_head.weight; // weight tying, as nanoGPT
    }
    // idx: int32 [B, T] -> logits [B, T, vocab]. With { cache, pos }: T new tokens at pos.
    forward(idx, { cache = null, pos = 0 } = {}) {
      return torch.tidy(() => {
        const T = idx.shape[1];
        if (pos + T > blockSize) throw new Error(`Cannot forward sequence of length ${pos + T}, block size is only ${blockSize}`);
        const positions = torch.arange(pos, pos + T);
        let x = this.transformer.wte.forward(idx).add(this.transformer.wpe.forward(positions));
        let layer = 0;
        for (const block of this.transformer.h) x = block.forward(x, cache, layer++, pos);
        return this.lm_head.forward(this.transformer.ln_f.forward(x));
      });
    }
    // One key and one value buffer per layer, [B, nh, blockSize, hd], made as inference
    // tensors: call inside torch.inferenceMode.
    createCache(B = 1) {
      const shape = [B, nHead, blockSize, hd];
      return { k: Array.from({ length: nLayer }, () => torch.zeros(shape)), v: Array.from({ length: nLayer }, () => torch.zeros(shape)) };
    }
  }
  return new GPT();
}

// Greedy decoding with the key/value cache: next() runs one step inside torch.inferenceMode
// (the prompt first, then one token per step) and returns the new token's id; dispose() frees
// the cache. Steps are separate calls so a page can yield between tokens (a mode cannot wrap
// an async function).
export function createGreedyDecoder(torch, model, promptIds) {
  const cache = torch.inferenceMode(() => model.createCache(1));
  let pending = promptIds;
  let pos = 0;
  return {
    next() {
      return torch.inferenceMode(() => torch.tidy(() => {
        const input = torch.tensor(Int32Array.from(pending)).view(1, pending.length);
        const logits = model.forward(input, { cache, pos });
        pos += pending.length;
        const id = logits.select(1, pending.length - 1).argmax(-1).item();
        pending = [id];
        return id;
      }));
    },
    dispose() {
      torch.dispose([...cache.k, ...cache.v]);
    },
  };
}

// newTokens greedy tokens after promptIds; onToken(id) is called for each.
export function generateGreedy(torch, model, promptIds, newTokens, onToken = () => {}) {
  const decoder = createGreedyDecoder(torch, model, promptIds);
  const out = [...promptIds];
  try {
    for (let i = 0; i < newTokens; i++) {
      const id = decoder.next();
      out.push(id);
      onToken(id);
    }
  } finally {
    decoder.dispose();
  }
  return out;
}

// The bytes of a file next to this module (Node: fs; browsers: fetch).
export async function readGPTFile(name) {
  const url = new URL(`./${name}`, import.meta.url);
  if (typeof process === 'object' && process.versions?.node) {
    const { readFile } = await import('node:fs/promises');
    return new Uint8Array(await readFile(url));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetching ${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

// The model of golden.json's config with model.safetensors loaded, and the golden values.
export async function loadGPT(torch) {
  const golden = JSON.parse(new TextDecoder().decode(await readGPTFile('golden.json')));
  const model = createGPT(torch, golden.config);
  torch.loadSafetensorsModel(model, await readGPTFile('model.safetensors'));
  model.eval();
  const stoi = new Map([...golden.chars].map((ch, i) => [ch, i]));
  const encode = (s) => [...s].map((ch) => {
    if (!stoi.has(ch)) throw new Error(`character ${JSON.stringify(ch)} is not in the model's vocabulary`);
    return stoi.get(ch);
  });
  const decode = (ids) => ids.map((i) => golden.chars[i]).join('');
  return { model, golden, encode, decode };
}

// train_gpt.py's fine-tuning: for each fixed batch, the loss, backward, clipGradNorm_(maxNorm)
// and an AdamW step. onStep(i, loss, gradNorm) after each.
export function finetuneSteps(torch, model, { lr, weightDecay, maxNorm, batches }, onStep = () => {}) {
  const { nn, optim } = torch;
  model.train();
  const opt = new optim.AdamW(model.parameters(), { lr, weightDecay });
  const losses = [];
  batches.forEach(({ x, y }, i) => {
    const [loss, norm] = torch.tidy(() => {
      const idx = torch.tensor(x, { dtype: 'int32' });
      const targets = torch.tensor(y, { dtype: 'int32' });
      const logits = model.forward(idx);
      const l = nn.functional.crossEntropy(logits.view(-1, logits.shape[2]), targets.view(-1));
      opt.zeroGrad();
      l.backward();
      const n = nn.utils.clipGradNorm_(model.parameters(), maxNorm);
      opt.step();
      return [l.item(), typeof n === 'number' ? n : n.item()];
    });
    losses.push(loss);
    onStep(i, loss, norm);
  });
  model.eval();
  return losses;
}
