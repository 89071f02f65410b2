// Live training: a 2-D classification playground. Each frame trains a few steps of an
// nn.Sequential MLP with optim.SGD, recording on, then evaluates the model on a grid of 10,000 points under inferenceMode and
// paints the decision boundary; a loss curve runs alongside.

import { makeDataset } from './datasets.mjs';
import { createMLP } from './mlp.mjs';

const GRID = 100; // the grid is GRID x GRID points over [-1, 1]^2
const SIZES = [2, 24, 24, 2];
const ORANGE = [240, 138, 36];
const BLUE = [47, 127, 216];
const MAX_POINTS = 1000;

export function initPlayground(torch, root = document) {
  const canvas = root.getElementById('pg-canvas');
  const ctx = canvas.getContext('2d');
  const lossCanvas = root.getElementById('pg-loss');
  const lossCtx = lossCanvas.getContext('2d');
  const stats = root.getElementById('pg-stats');
  const indicator = root.getElementById('pg-grid-mode');
  const playButton = root.getElementById('pg-play');
  const lrSelect = root.getElementById('pg-lr');

  // The grid's coordinates, made once and kept for the page's life.
  const gridXY = new Float32Array(GRID * GRID * 2);
  for (let i = 0; i < GRID; i++) {
    for (let j = 0; j < GRID; j++) {
      gridXY[(i * GRID + j) * 2] = -1 + (2 * (j + 0.5)) / GRID;
      gridXY[(i * GRID + j) * 2 + 1] = 1 - (2 * (i + 0.5)) / GRID;
    }
  }
  const grid = torch.keep(torch.tensor(gridXY, { shape: [GRID * GRID, 2] }));
  const field = document.createElement('canvas');
  field.width = GRID;
  field.height = GRID;
  const fieldCtx = field.getContext('2d');
  const image = fieldCtx.createImageData(GRID, GRID);

  const state = {
    dataset: 'moons',
    points: [],
    running: true,
    step: 0,
    losses: [], // [step, loss] for the curve
    lossHistory: [], // every recorded loss, for tests
    accuracy: NaN,
    seed: 1,
    // What the last grid render ran under, read inside the render itself.
    grid: { renders: 0, inference: null, gradEnabled: null, outputIsInference: null, outputRequiresGrad: null, points: GRID * GRID, ms: 0 },
    trainMs: 0,
  };
  let model = createMLP(torch, SIZES, state.seed);
  let data = null; // { x, y } tensors of the current points
  let values = null; // last grid logits

  function setPoints(points) {
    state.points = points.slice(0, MAX_POINTS);
    if (data) torch.dispose(data);
    data = null;
    if (state.points.length) {
      data = torch.tidy(() => ({
        x: torch.keep(torch.tensor(state.points.map(([x, y]) => [x, y]), { dtype: 'float32' })),
        y: torch.keep(torch.tensor(state.points.map((p) => p[2]), { dtype: 'int32' })),
      }));
    }
  }

  function resetCurve() {
    state.losses = [];
    state.step = 0;
  }

  function setDataset(name) {
    state.dataset = name;
    setPoints(name === 'empty' ? [] : makeDataset(name, 200));
    resetCurve();
    for (const b of root.querySelectorAll('#pg-datasets button')) b.classList.toggle('active', b.dataset.dataset === name);
  }

  function resetWeights() {
    model.dispose();
    state.seed += 1;
    model = createMLP(torch, SIZES, state.seed);
    resetCurve();
  }

  // ---- training: recording on, update under noGrad (mlp.mjs) ----
  function train(steps) {
    if (!data || !state.running) return;
    const t0 = performance.now();
    const lr = Number(lrSelect.value);
    for (let i = 0; i < steps; i++) {
      const loss = model.step(data.x, data.y, { lr });
      state.step += 1;
      state.lossHistory.push(loss);
      if (state.lossHistory.length > 20000) state.lossHistory.splice(0, 10000);
      state.losses.push([state.step, loss]);
    }
    if (state.losses.length > 600) state.losses.splice(0, state.losses.length - 600);
    state.trainMs = (performance.now() - t0) / steps;
  }

  // ---- the grid, under inferenceMode ----
  function evaluateGrid() {
    const t0 = performance.now();
    values = torch.inferenceMode(() =>
      torch.tidy(() => {
        const z = model.score(grid);
        state.grid.inference = torch.isInferenceModeEnabled();
        state.grid.gradEnabled = torch.isGradEnabled();
        state.grid.outputIsInference = z.isInference();
        state.grid.outputRequiresGrad = z.requiresGrad;
        return z.data();
      }),
    );
    state.grid.ms = performance.now() - t0;
    state.grid.renders += 1;
  }

  function accuracyOf() {
    if (!data) return NaN;
    const logits = torch.inferenceMode(() => torch.tidy(() => model.score(data.x).data()));
    let correct = 0;
    state.points.forEach((p, i) => {
      if ((logits[i] > 0 ? 1 : 0) === p[2]) correct++;
    });
    return correct / state.points.length;
  }

  // ---- drawing ----
  function paintField() {
    const px = image.data;
    for (let k = 0; k < GRID * GRID; k++) {
      // Confidence shading: the further from the boundary, the stronger the colour.
      const z = values[k];
      const c = z > 0 ? BLUE : ORANGE;
      const s = Math.min(1, Math.abs(z) / 4) * 0.55 + 0.08;
      px[k * 4] = 255 + (c[0] - 255) * s;
      px[k * 4 + 1] = 255 + (c[1] - 255) * s;
      px[k * 4 + 2] = 255 + (c[2] - 255) * s;
      px[k * 4 + 3] = 255;
    }
    fieldCtx.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(field, 0, 0, canvas.width, canvas.height);
  }

  // The z = 0 contour by marching squares over the grid values.
  function drawBoundary() {
    const cell = canvas.width / GRID;
    const at = (i, j) => values[i * GRID + j];
    const cx = (j) => (j + 0.5) * cell;
    const cy = (i) => (i + 0.5) * cell;
    ctx.beginPath();
    for (let i = 0; i + 1 < GRID; i++) {
      for (let j = 0; j + 1 < GRID; j++) {
        const a = at(i, j);
        const b = at(i, j + 1);
        const c = at(i + 1, j + 1);
        const d = at(i + 1, j);
        const pts = [];
        if (a > 0 !== b > 0) pts.push([cx(j) + (cell * a) / (a - b), cy(i)]);
        if (b > 0 !== c > 0) pts.push([cx(j + 1), cy(i) + (cell * b) / (b - c)]);
        if (c > 0 !== d > 0) pts.push([cx(j) + (cell * d) / (d - c), cy(i + 1)]);
        if (d > 0 !== a > 0) pts.push([cx(j), cy(i) + (cell * a) / (a - d)]);
        for (let k = 0; k + 1 < pts.length; k += 2) {
          ctx.moveTo(pts[k][0], pts[k][1]);
          ctx.lineTo(pts[k + 1][0], pts[k + 1][1]);
        }
      }
    }
    ctx.strokeStyle = 'rgba(29, 35, 48, 0.75)';
    ctx.lineWidth = 1.6;
    ctx.stroke();
  }

  function drawPoints() {
    const w = canvas.width;
    for (const [x, y, label] of state.points) {
      ctx.beginPath();
      ctx.arc(((x + 1) / 2) * w, ((1 - y) / 2) * w, 4.2, 0, 2 * Math.PI);
      ctx.fillStyle = label === 1 ? 'rgb(47,127,216)' : 'rgb(240,138,36)';
      ctx.fill();
      ctx.lineWidth = 1.2;
      ctx.strokeStyle = 'white';
      ctx.stroke();
    }
  }

  function drawLoss() {
    const { width: w, height: h } = lossCanvas;
    lossCtx.clearRect(0, 0, w, h);
    lossCtx.fillStyle = '#6b7384';
    lossCtx.font = '11px ui-monospace, monospace';
    lossCtx.fillText('loss', 6, 13);
    const pts = state.losses;
    if (pts.length < 2) return;
    const max = Math.max(...pts.map((p) => p[1]), 1e-6);
    const x0 = pts[0][0];
    const x1 = pts[pts.length - 1][0];
    lossCtx.strokeStyle = '#e2e5eb';
    lossCtx.beginPath();
    lossCtx.moveTo(0, h - 8);
    lossCtx.lineTo(w, h - 8);
    lossCtx.stroke();
    lossCtx.beginPath();
    pts.forEach(([s, l], k) => {
      const x = ((s - x0) / Math.max(1, x1 - x0)) * (w - 10) + 5;
      const y = h - 8 - (l / max) * (h - 24);
      if (k === 0) lossCtx.moveTo(x, y);
      else lossCtx.lineTo(x, y);
    });
    lossCtx.strokeStyle = '#c0392b';
    lossCtx.lineWidth = 2;
    lossCtx.stroke();
    lossCtx.fillText(`max ${max.toFixed(3)}`, w - 90, 13);
  }

  function drawStats() {
    const last = state.losses.length ? state.losses[state.losses.length - 1][1] : NaN;
    stats.innerHTML =
      `<span>step <b>${state.step}</b></span><span>loss <b>${Number.isNaN(last) ? '–' : last.toFixed(4)}</b></span>` +
      `<span>accuracy <b>${Number.isNaN(state.accuracy) ? '–' : `${(state.accuracy * 100).toFixed(1)}%`}</b></span>` +
      `<span>points <b>${state.points.length}</b></span><span>train <b>${state.trainMs.toFixed(2)} ms</b>/step</span>`;
    const g = state.grid;
    const ok = g.inference === true && g.gradEnabled === false && g.outputIsInference === true;
    indicator.className = ok ? 'indicator' : 'indicator bad';
    indicator.textContent =
      `grid render #${g.renders}: isInferenceModeEnabled() ${g.inference}, isGradEnabled() ${g.gradEnabled}, ` +
      `output.isInference() ${g.outputIsInference} · ${g.points.toLocaleString('en')} points in ${g.ms.toFixed(1)} ms`;
  }

  function render() {
    evaluateGrid();
    paintField();
    drawBoundary();
    drawPoints();
    drawLoss();
    if (state.step % 10 === 0 || !state.running) state.accuracy = accuracyOf();
    drawStats();
  }

  // ---- input ----
  canvas.addEventListener('pointerdown', (e) => {
    e.preventDefault();
    const rect = canvas.getBoundingClientRect();
    const x = ((e.clientX - rect.left) / rect.width) * 2 - 1;
    const y = 1 - ((e.clientY - rect.top) / rect.height) * 2;
    const label = Number(root.querySelector('input[name="pg-class"]:checked').value);
    setPoints([...state.points, [x, y, label]]);
    if (!state.running) render();
  });
  canvas.addEventListener('contextmenu', (e) => e.preventDefault());
  for (const b of root.querySelectorAll('#pg-datasets button')) b.addEventListener('click', () => setDataset(b.dataset.dataset));
  playButton.addEventListener('click', () => {
    state.running = !state.running;
    playButton.textContent = state.running ? 'pause' : 'train';
  });
  root.getElementById('pg-reset').addEventListener('click', () => {
    resetWeights();
    render();
  });

  let frameCount = 0;
  function frame() {
    train(4);
    render();
    frameCount += 1;
    requestAnimationFrame(frame);
  }

  setDataset('moons');
  requestAnimationFrame(frame);

  return {
    state,
    get model() {
      return model;
    },
    get frames() {
      return frameCount;
    },
    setDataset,
    resetWeights,
    pause() {
      state.running = false;
      playButton.textContent = 'train';
    },
    resume() {
      state.running = true;
      playButton.textContent = 'pause';
    },
    // A batch of grid points, for the mode panel's "same forward pass".
    forward: (x) => model.forward(x),
    grid,
  };
}
