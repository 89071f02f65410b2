// The WGAN-GP panel: examples/wgan-gp trained live, a critic step per frame. The critic's
// loss carries the gradient penalty, a second derivative through autograd.grad with
// createGraph; for the first steps each loss is shown beside PyTorch 1.13.1's (golden.json,
// from the example's twin script), and the generator's points are drawn over the real ring.

import { CONFIG, batchOf, createTrainer } from '../examples/wgan-gp/wgan_gp.mjs';

const MAX_STEPS = 600; // then the panel stops by itself
const SAMPLES = 128;

// torch.utils.checkpoint's saving, measured: the bytes an 8-layer MLP's forward saves for
// backward, plainly and checkpointed (which keeps only its input and recomputes in backward).
export function checkpointSavings(torch) {
  return torch.tidy(() => {
    const layers = Array.from({ length: 8 }, (_, i) => torch.full([64, 64], 0.01 * (i + 1), { requiresGrad: true }));
    const mlp = (a) => layers.reduce((h, l) => h.matmul(l).tanh(), a);
    const input = torch.ones([32, 64], { requiresGrad: true });
    const before = torch.memory().savedBytes;
    mlp(input);
    const plain = torch.memory().savedBytes - before;
    torch.utils.checkpoint(mlp, input);
    return { plain, checkpointed: torch.memory().savedBytes - before - plain };
  });
}

export function initWganGpPanel(torch, root = document) {
  const canvas = root.getElementById('wgan-canvas');
  const stats = root.getElementById('wgan-stats');
  const button = root.getElementById('wgan-run');
  const ctx = canvas.getContext('2d');
  const state = { running: false, records: [], golden: null, maxDiff: 0, checkpoint: checkpointSavings(torch) };
  root.getElementById('wgan-checkpoint').innerHTML = `<code>torch.utils.checkpoint</code> on an 8-layer MLP (batch 32, width 64): ` +
    `the forward saves ${state.checkpoint.plain} B for backward, checkpointed ${state.checkpoint.checkpointed} B (<code>torch.memory().savedBytes</code>).`;
  const z = batchOf(1000, { ...CONFIG, batch: SAMPLES }).z; // fixed noise for the picture
  let trainer = null;

  fetch(new URL('../examples/wgan-gp/golden.json', import.meta.url))
    .then((r) => (r.ok ? r.json() : null))
    .then((g) => { state.golden = g; })
    .catch(() => {});

  function draw() {
    const points = trainer ? trainer.sample(z) : [];
    // The view holds the ring and every generated point (the generator starts off the ring).
    const extent = Math.max(2, ...points.map(([x, y]) => 1.1 * Math.max(Math.abs(x), Math.abs(y))));
    const w = canvas.width, h = canvas.height, scale = w / (2 * extent);
    ctx.clearRect(0, 0, w, h);
    const dot = (x, y, color, r) => {
      ctx.fillStyle = color;
      ctx.beginPath();
      ctx.arc(w / 2 + x * scale, h / 2 - y * scale, r, 0, 2 * Math.PI);
      ctx.fill();
    };
    for (let i = 0; i < 64; i++) dot(Math.cos((i / 64) * 2 * Math.PI), Math.sin((i / 64) * 2 * Math.PI), '#f2a65a', 3);
    for (const [x, y] of points) dot(x, y, '#3b7dd8', 2.5);
  }

  function show(r) {
    const g = state.golden?.records?.[r.step];
    const twin = (key) => (g && g[key] !== undefined ? ` <small>(PyTorch ${g[key].toFixed(4)})</small>` : '');
    if (g) state.maxDiff = Math.max(state.maxDiff, Math.abs(r.critic - g.critic));
    stats.innerHTML = `<span>step <b>${r.step}</b></span><span>critic loss <b>${r.critic.toFixed(4)}</b>${twin('critic')}</span>` +
      `<span>gradient penalty <b>${r.penalty.toFixed(4)}</b>${twin('penalty')}</span>` +
      `<span>Wasserstein estimate <b>${r.wasserstein.toFixed(4)}</b>${twin('wasserstein')}</span>`;
  }

  function frame() {
    if (!state.running) return;
    const r = trainer.step();
    state.records.push(r);
    show(r);
    draw();
    if (state.records.length >= MAX_STEPS) stop();
    else requestAnimationFrame(frame);
  }

  function stop() {
    state.running = false;
    button.textContent = 'train again';
  }

  button.addEventListener('click', () => {
    if (state.running) return stop();
    if (trainer) trainer.dispose();
    trainer = createTrainer(torch);
    state.records = [];
    state.maxDiff = 0;
    state.running = true;
    button.textContent = 'stop';
    requestAnimationFrame(frame);
  });
  draw();
  return state;
}
