// Autoencoder: the convolutional autoencoder PyTorch trained on the digits
// (examples/autoencoder: Conv2d down, ConvTranspose2d up, sigmoid output) reconstructs the
// digit drawn in the digits panel, under inferenceMode. It reads the digits panel's state
// (its 8x8 input, already scaled to [0, 1] as the models were trained) each frame and runs
// only when the drawing changed.

import { loadAutoencoder } from '../examples/autoencoder/autoencoder.mjs';

const CELL = 16;

export async function initAutoencoderPanel(torch, digits, root = document) {
  const body = root.getElementById('autoencoder-body');
  const state = { ready: false, reconstructions: 0, reconstruction: null };
  let model;
  try {
    model = await loadAutoencoder(torch);
  } catch (e) {
    body.innerHTML = `<p class="note">The autoencoder's weights could not be loaded: ${e.message}.</p>`;
    state.error = e.message;
    return state;
  }
  body.innerHTML = `
    <div class="row">
      <div><canvas id="ae-input" width="${8 * CELL}" height="${8 * CELL}" aria-label="autoencoder input"></canvas><div class="caption">input (8×8)</div></div>
      <div><canvas id="ae-output" width="${8 * CELL}" height="${8 * CELL}" aria-label="reconstruction"></canvas><div class="caption">reconstruction</div></div>
    </div>
    <p class="note" id="ae-info">draw a digit in the panel above</p>
    <p class="note"><code>Conv2d</code> 1→8→16 (stride 2, <code>LeakyReLU</code>), <code>ConvTranspose2d</code> 16→8→1 (stride 2, outputPadding 1, <code>ELU</code>), <code>Sigmoid</code>; trained in PyTorch with <code>binaryCrossEntropy</code>, loaded from safetensors.</p>`;
  const paint = (canvas, values, scale) => {
    const ctx = canvas.getContext('2d');
    for (let i = 0; i < 64; i++) {
      const v = Math.round(Math.min(1, Math.max(0, values[i] * scale)) * 255);
      ctx.fillStyle = `rgb(${v}, ${v}, ${v})`;
      ctx.fillRect((i % 8) * CELL, Math.floor(i / 8) * CELL, CELL, CELL);
    }
  };
  const info = root.getElementById('ae-info');
  let last = null;
  const update = () => {
    const input = digits.input;
    if (input && input !== last) {
      last = input;
      if (digits.size !== 8) {
        info.textContent = `the autoencoder takes 8×8 digits; the digits panel's model takes ${digits.size}×${digits.size}`;
      } else {
        const t0 = performance.now();
        const recon = torch.inferenceMode(() => torch.tidy(() =>
          model.call(torch.tensor(Float32Array.from(input), { shape: [1, 1, 8, 8] })).reshape([64]).toArray()));
        paint(root.getElementById('ae-input'), input, 1);
        paint(root.getElementById('ae-output'), recon, 1);
        state.reconstruction = recon;
        state.reconstructions += 1;
        info.textContent = `reconstructed under inferenceMode in ${(performance.now() - t0).toFixed(1)} ms`;
      }
    }
    requestAnimationFrame(update);
  };
  requestAnimationFrame(update);
  state.ready = true;
  return state;
}
