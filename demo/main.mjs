// The demo page: loads the engine of the chosen build and starts each panel. Imports the
// package's built entry directly (no bundler). window.webtorchDemo exposes the panels'
// state for the browser tests (tests/browser).

import { load } from '../dist/index.mjs';
import { initAutoencoderPanel } from './autoencoder-panel.mjs';
import { initDigitsPanel } from './digits-panel.mjs';
import { initGPTPanel } from './gpt-panel.mjs';
import { initInferencePanel } from './inference-panel.mjs';
import { initModesPanel } from './modes-panel.mjs';
import { initPlayground } from './playground.mjs';
import { initWganGpPanel } from './wgan-gp-panel.mjs';

const params = new URLSearchParams(location.search);
const build = params.get('build') === 'scalar' ? 'scalar' : 'simd';
const select = document.getElementById('build-select');
select.value = build;
select.addEventListener('change', () => {
  params.set('build', select.value);
  location.search = params.toString();
});

const demo = { ready: false, build };
window.webtorchDemo = demo;

async function start() {
  // The SIMD build asks for threads ('auto': the machine's cores, at most 4); a page that is
  // not cross-origin isolated runs on one thread and the badge's title says why.
  const torch = await load(build === 'scalar' ? { simd: false } : { threads: 'auto' });
  demo.torch = torch;
  const badge = document.getElementById('backend');
  badge.textContent = torch.backend;
  const threads = document.getElementById('threads');
  threads.textContent = `${torch.threads} thread${torch.threads === 1 ? '' : 's'}`;
  if (torch.threadsUnavailableReason) threads.title = `one thread: ${torch.threadsUnavailableReason}`;
  // load() falls back to the scalar build where the engine rejects SIMD or wasm exceptions.
  if (build === 'simd' && torch.backend !== 'wasm-simd') badge.title = 'this browser cannot run the SIMD build: running the scalar build';
  document.getElementById('version').textContent = `v${torch.version}`;
  demo.playground = initPlayground(torch);
  demo.modes = initModesPanel(torch, demo.playground);
  demo.inference = initInferencePanel(torch);
  demo.wganGp = initWganGpPanel(torch);
  if (typeof torch.loadSafetensors === 'function') {
    demo.digits = await initDigitsPanel(torch);
    demo.autoencoder = await initAutoencoderPanel(torch, demo.digits);
  } else {
    document.getElementById('digits-body').innerHTML = '<p class="note">This engine has no <code>torch.loadSafetensors</code> yet.</p>';
  }
  demo.gpt = await initGPTPanel(torch);
  const footer = document.getElementById('footer-memory');
  const showMemory = () => {
    const m = torch.memory();
    const heap = torch.diagnostics().heapSize;
    footer.textContent = `torch.memory(): ${m.tensors} tensors, ${(m.bytes / 1024).toFixed(1)} KiB, ${m.graphNodes} graph nodes, ${m.savedBytes} B saved for backward · wasm heap ${(heap / 1048576).toFixed(0)} MiB`;
  };
  showMemory();
  setInterval(showMemory, 1000);
  demo.ready = true;
}

start().catch((e) => {
  demo.error = e.message;
  const box = document.getElementById('load-error');
  box.hidden = false;
  box.textContent = `webtorch failed to start: ${e.message}`;
  throw e;
});
