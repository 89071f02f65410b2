// Digits: draw a digit; a classifier trained in PyTorch and shipped as a safetensors file (the
// small ResNet of examples/resnet: convolutions, BatchNorm2d in eval mode, residual adds,
// MaxPool2d, AdaptiveAvgPool2d; an MLP state dict works too) predicts it under inferenceMode, and a saliency map (|d logit / d input|) is computed
// inside that inference scope with inferenceMode(false, …), which is what makes autograd
// work there again. enableGrad alone does not: inference mode stays on, nothing is recorded,
// and backward fails with PyTorch's error, shown next to the map.

import { toModelInput } from './digits-input.mjs';
import { createResNet } from '../examples/resnet/resnet.mjs';

export const WEIGHTS_URL = new URL('../examples/resnet/resnet.safetensors', import.meta.url);
const PAD = 280;

// The layers of an MLP state dict, in layer order: every 2-D `<name>.weight` [out, in] with
// its `<name>.bias`.
export function mlpLayers(stateDict) {
  const layers = [];
  for (const [name, t] of Object.entries(stateDict)) {
    if (!name.endsWith('.weight') || t.ndim !== 2) continue;
    const prefix = name.slice(0, -'.weight'.length);
    layers.push({ name: prefix, weight: t, bias: stateDict[`${prefix}.bias`] ?? null });
  }
  if (layers.length === 0) throw new Error('digits: the weights file holds no Linear layer');
  // Files written by the safetensors library list names sorted as strings: put the layers of
  // an nn.Sequential ('0', '2', …, '10') back in numeric order. Other names keep file order.
  if (layers.every((l) => /^\d+$/.test(l.name))) layers.sort((a, b) => Number(a.name) - Number(b.name));
  return layers;
}

// The ResNet of examples/resnet (its state dict has stem.conv.weight), in eval mode: the
// running statistics of its BatchNorm layers normalise. It takes [n, 1, 8, 8] images.
function createCNN(torch, stateDict) {
  const model = createResNet(torch, stateDict['stem.conv.weight'].shape[0]);
  model.loadStateDict(stateDict);
  model.eval();
  return { model, forward: (x) => model.call(x.reshape([x.shape[0], 1, 8, 8])), size: 8, classes: 10, inputShape: [1, 1, 8, 8] };
}

// nn.Sequential(Linear, ReLU, …, Linear) built from the shapes in the state dict and filled
// with loadStateDict (which checks names and shapes before copying anything); or the CNN.
export function createClassifier(torch, stateDict) {
  if (stateDict['stem.conv.weight']) return createCNN(torch, stateDict);
  const { nn } = torch;
  const layers = mlpLayers(stateDict);
  const modules = [];
  const renamed = {};
  layers.forEach((l, i) => {
    const [outF, inF] = l.weight.shape;
    // nn.Sequential names its modules 0, 1, 2, …: the Linear layers sit at the even indices.
    renamed[`${2 * i}.weight`] = l.weight;
    if (l.bias) renamed[`${2 * i}.bias`] = l.bias;
    modules.push(new nn.Linear(inF, outF, { bias: l.bias !== null }));
    if (i + 1 < layers.length) modules.push(new nn.ReLU());
  });
  const model = new nn.Sequential(...modules);
  model.loadStateDict(renamed);
  const inFeatures = layers[0].weight.shape[1];
  const size = Math.round(Math.sqrt(inFeatures));
  if (size * size !== inFeatures) throw new Error(`digits: ${inFeatures} inputs is not a square image`);
  return { model, forward: (x) => model.call(x), size, classes: layers[layers.length - 1].weight.shape[0], inputShape: [1, inFeatures] };
}

export async function initDigitsPanel(torch, root = document) {
  const body = root.getElementById('digits-body');
  const state = { ready: false, prediction: null, probabilities: null, saliency: null, enableGradError: null, empty: true, predictions: 0, strokes: 0 };

  let bytes;
  try {
    const response = await fetch(WEIGHTS_URL);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (e) {
    body.innerHTML = `<p class="note">The classifier's weights (${WEIGHTS_URL.pathname}) could not be fetched: ${e.message}.</p>`;
    state.error = e.message;
    return state;
  }
  // Built and loaded outside inference mode: the parameters are normal tensors, so the
  // saliency pass inside inferenceMode(false) may save them for backward.
  const weights = torch.loadSafetensors(bytes);
  const model = createClassifier(torch, weights);
  torch.dispose(weights); // loadStateDict copied them into the model's parameters
  const preprocess = model.size === 8 ? (v) => v / 16 : (v) => v;

  body.innerHTML = `
    <div class="digits">
      <div>
        <canvas id="dg-pad" width="${PAD}" height="${PAD}" aria-label="draw a digit here"></canvas>
        <div class="row"><button id="dg-clear">clear</button><span class="note">draw a digit with the mouse or a finger</span></div>
      </div>
      <div class="seen">
        <div><canvas id="dg-input" width="${model.size * 16}" height="${model.size * 16}" aria-label="model input"></canvas>
          <div class="caption">what the model sees (${model.size}×${model.size})</div></div>
        <div><canvas id="dg-saliency" width="${model.size * 16}" height="${model.size * 16}" aria-label="saliency map"></canvas>
          <div class="caption">saliency: |∂ logit / ∂ input| for its answer</div></div>
      </div>
      <div>
        <div class="prediction" id="dg-prediction">–</div>
        <div class="probs" id="dg-probs"></div>
        <div class="caption" id="dg-timing"></div>
      </div>
    </div>
    <h3>Why nesting matters: the gradient inside an inference scope</h3>
    <pre class="setup">torch.inferenceMode(() => {                  // serving
  const input = torch.tensor(pixels, { shape: [${model.inputShape.join(', ')}] });
  const logits = model.call(input);          // the prediction
  torch.inferenceMode(false, () => {         // ✓ autograd works again in here
    const x = input.clone().requiresGrad_(); // a normal tensor
    model.call(x).select(1, k).sum().backward();  // x.grad is the saliency
  });
  torch.enableGrad(() => { …the same… });    // ✗ grad is on, but inference mode is still on
});</pre>
    <div class="tries">
      <div class="try"><code>inferenceMode(false, …)</code><div class="result" id="dg-nested-ok">draw a digit</div></div>
      <div class="try"><code>enableGrad(…)</code><div class="result" id="dg-nested-bad">draw a digit</div></div>
    </div>`;

  const pad = root.getElementById('dg-pad');
  const padCtx = pad.getContext('2d', { willReadFrequently: true });
  const sal = root.getElementById('dg-saliency');
  const salCtx = sal.getContext('2d');
  const inputCanvas = root.getElementById('dg-input');
  const inputCtx = inputCanvas.getContext('2d');
  const probsEl = root.getElementById('dg-probs');
  const predEl = root.getElementById('dg-prediction');
  const timing = root.getElementById('dg-timing');

  function clearPad() {
    padCtx.fillStyle = 'black';
    padCtx.fillRect(0, 0, PAD, PAD);
    state.empty = true;
    state.prediction = null;
    predEl.textContent = '–';
    probsEl.innerHTML = '';
    salCtx.clearRect(0, 0, sal.width, sal.height);
    inputCtx.clearRect(0, 0, inputCanvas.width, inputCanvas.height);
  }

  // ---- drawing: pointer events cover mouse, touch and pen ----
  let last = null;
  function point(e) {
    const r = pad.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * PAD, ((e.clientY - r.top) / r.height) * PAD];
  }
  pad.addEventListener('pointerdown', (e) => {
    e.preventDefault();
    pad.setPointerCapture?.(e.pointerId);
    last = point(e);
    stroke(last, last);
  });
  pad.addEventListener('pointermove', (e) => {
    if (last === null) return;
    const p = point(e);
    stroke(last, p);
    last = p;
  });
  const end = () => {
    if (last === null) return;
    last = null;
    classify();
    state.strokes += 1;
  };
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);
  function stroke(a, b) {
    padCtx.strokeStyle = 'white';
    padCtx.lineWidth = 22;
    padCtx.lineCap = 'round';
    padCtx.lineJoin = 'round';
    padCtx.beginPath();
    padCtx.moveTo(a[0], a[1]);
    padCtx.lineTo(b[0], b[1]);
    padCtx.stroke();
    state.empty = false;
    // Live prediction while drawing, at most once per frame.
    if (!pending) {
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        classify();
      });
    }
  }
  let pending = false;
  root.getElementById('dg-clear').addEventListener('click', clearPad);

  // ---- classification and saliency ----
  function readInput() {
    const img = padCtx.getImageData(0, 0, PAD, PAD).data;
    const ink = (x, y) => img[(y * PAD + x) * 4] / 255;
    const { pixels, empty } = toModelInput(ink, PAD, PAD, model.size);
    return { pixels: pixels.map(preprocess), empty };
  }

  function classify() {
    const { pixels, empty } = readInput();
    if (empty) return;
    const t0 = performance.now();
    const result = torch.inferenceMode(() =>
      torch.tidy(() => {
        const input = torch.tensor(pixels, { shape: [1, pixels.length] }); // an inference tensor
        const logits = model.forward(input);
        const probabilities = Array.from(logits.softmax(1).data());
        const k = logits.argmax(1).item();
        const tPredict = performance.now() - t0;
        const inputGradient = () =>
          torch.tidy(() => {
            const x = input.clone().requiresGrad_();
            const out = model.forward(x);
            out.select(1, k).sum().backward();
            return { grad: Array.from(x.grad.abs().data()), gradFn: out.gradFn && out.gradFn.name };
          });
        // Inside the inference scope, inferenceMode(false) re-enables autograd: the clone is a
        // normal tensor, and the weights (loaded outside any mode) may be saved for backward.
        const saliency = torch.inferenceMode(false, inputGradient);
        // enableGrad alone turns grad mode on, but inference mode stays on: nothing is
        // recorded and backward refuses, with PyTorch's text.
        let enableGradError = null;
        try {
          torch.enableGrad(inputGradient);
        } catch (e) {
          enableGradError = e.message;
        }
        return { probabilities, k, saliency, enableGradError, tPredict, inferenceOutput: logits.isInference() };
      }),
    );
    state.prediction = result.k;
    state.probabilities = result.probabilities;
    state.saliency = result.saliency.grad;
    state.enableGradError = result.enableGradError;
    state.inferenceOutput = result.inferenceOutput;
    state.input = Array.from(pixels);
    state.predictions += 1;
    draw(pixels, result, performance.now() - t0);
  }

  function draw(pixels, result, ms) {
    predEl.textContent = String(result.k);
    const probs = state.probabilities;
    probsEl.innerHTML = probs
      .map((p, i) => `<div class="${i === result.k ? 'top' : ''}" style="display:contents"><span>${i}</span><div><div class="p" style="width:${(p * 100).toFixed(1)}%"></div></div><span>${(p * 100).toFixed(1)}%</span></div>`)
      .join('');
    // Browsers coarsen performance.now() (to 0.1 ms in Chromium without cross-origin isolation).
    const fmt = (t) => (t < 0.1 ? '< 0.1 ms' : `${t.toFixed(1)} ms`);
    timing.textContent = `prediction under inferenceMode: ${fmt(result.tPredict)} · with both gradients: ${fmt(ms)} · logits.isInference() ${result.inferenceOutput}`;
    // The input in grey; the saliency as heat (black, red, yellow).
    const n = model.size;
    const cell = sal.width / n;
    const g = result.saliency.grad;
    const gmax = Math.max(...g, 1e-12);
    const pmax = Math.max(...pixels, 1e-12);
    for (let i = 0; i < n * n; i++) {
      const x = (i % n) * cell;
      const y = Math.floor(i / n) * cell;
      const v = Math.round((pixels[i] / pmax) * 255);
      inputCtx.fillStyle = `rgb(${v}, ${v}, ${v})`;
      inputCtx.fillRect(x, y, cell, cell);
      const s = (g[i] / gmax) ** 0.75;
      salCtx.fillStyle = `rgb(${Math.round(Math.min(1, s * 1.6) * 255)}, ${Math.round(Math.max(0, s * 1.6 - 0.6) * 255)}, ${Math.round(Math.max(0, s * 2 - 1.6) * 255)})`;
      salCtx.fillRect(x, y, cell, cell);
    }
    const ok = root.getElementById('dg-nested-ok');
    ok.className = 'result ok';
    ok.textContent = `saliency computed: out.gradFn ${result.saliency.gradFn}, max |grad| ${gmax.toFixed(3)}`;
    const bad = root.getElementById('dg-nested-bad');
    bad.className = result.enableGradError ? 'result error' : 'result ok';
    bad.textContent = result.enableGradError ? `Error: ${result.enableGradError}` : 'no error';
  }

  clearPad();
  state.ready = true;
  state.size = model.size;
  state.clear = clearPad;
  return state;
}
