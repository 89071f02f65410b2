// GPT panel: the PyTorch-trained character-level GPT of examples/gpt generating text live, one
// token at a time with its key/value cache under inferenceMode, tokens/s shown as it goes.
// Each token is one decoder.next() call; the loop yields to the page between tokens.

import { createGreedyDecoder, loadGPT } from '../examples/gpt/model.mjs';

export async function initGPTPanel(torch, root = document) {
  const body = root.getElementById('gpt-body');
  const { model, golden, encode, decode } = await loadGPT(torch);
  body.innerHTML = `
    <div class="row"><input id="gpt-prompt" size="32" value="${golden.prompt}"> <button id="gpt-run">generate</button>
      <span class="stats" id="gpt-rate"></span></div>
    <pre id="gpt-out" class="setup" aria-live="polite"></pre>
    <p class="note">${golden.config.n_layer} layers, ${golden.config.n_head} heads, ${golden.config.n_embd} wide,
      context ${golden.config.block_size}; trained in PyTorch 1.13.1 on ${golden.text}. Greedy decoding; PyTorch's
      continuation of "${golden.prompt}" is the same text.</p>`;
  const out = root.getElementById('gpt-out');
  const rate = root.getElementById('gpt-rate');
  const state = { running: false, tokens: 0, tokensPerSecond: 0, text: '', error: undefined };

  async function run() {
    if (state.running) return;
    state.running = true;
    const prompt = root.getElementById('gpt-prompt').value;
    let ids;
    try {
      ids = encode(prompt);
    } catch (e) {
      out.textContent = e.message;
      state.running = false;
      return;
    }
    const n = Math.max(0, golden.config.block_size - ids.length);
    const decoder = createGreedyDecoder(torch, model, ids);
    state.text = prompt;
    out.textContent = prompt;
    const start = performance.now();
    try {
      for (let i = 0; i < n; i++) {
        state.text += decode([decoder.next()]);
        state.tokens = i + 1;
        state.tokensPerSecond = (i + 1) / ((performance.now() - start) / 1000);
        out.textContent = state.text;
        rate.textContent = `${state.tokens} tokens · ${state.tokensPerSecond.toFixed(1)} tokens/s`;
        await new Promise((r) => setTimeout(r, 0));
      }
    } catch (e) {
      state.error = e.message;
      out.textContent = `${state.text}\n${e.message}`;
    } finally {
      decoder.dispose();
      state.running = false;
    }
  }
  root.getElementById('gpt-run').addEventListener('click', run);
  return { state, run };
}
