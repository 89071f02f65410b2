// Shared by the reliability suites (fuzz, faults, memory): the two builds, forced garbage
// collection, and exact snapshots of what an engine holds.
import v8 from 'node:v8';
import vm from 'node:vm';

import { load } from '../../dist/index.mjs';

export const BUILDS = [
  ['wasm-simd', () => load()],
  ['wasm', () => load({ simd: false })],
];

// `node --expose-gc` gives globalThis.gc (.ci/run runs Jest so); without the flag, V8 can
// still expose it to a fresh context.
export function getGc() {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc');
}

// Collects garbage until FinalizationRegistry callbacks have run (they run as tasks after
// a collection, so yield to the event loop in between).
export async function collectGarbage(rounds = 4) {
  const gc = getGc();
  for (let i = 0; i < rounds; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

// What must not change across failing calls: the allocator's counters, the wasm heap in
// use and the wasm stack pointer, and the mode state.
export function snapshot(torch) {
  const m = torch.memory();
  const d = torch.diagnostics();
  return {
    tensors: m.tensors,
    bytes: m.bytes,
    graphNodes: m.graphNodes,
    savedBytes: m.savedBytes,
    heapInUse: d.heapInUse,
    stackPointer: d.stackPointer,
    modeState: d.modeState,
    grad: torch.isGradEnabled(),
    inference: torch.isInferenceModeEnabled(),
  };
}

export function memoryOf(torch) {
  const { tensors, bytes, graphNodes, savedBytes } = torch.memory();
  return { tensors, bytes, graphNodes, savedBytes };
}

// A small deterministic generator (mulberry32), so a failure can be replayed from its seed.
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)), // inclusive
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

// What making a tensor gave: its shape, dtype and values, or the Error's text (the tensor is
// disposed). Anything thrown that is not an Error fails the test.
export function tensorOutcome(make) {
  let t;
  try {
    t = make();
  } catch (e) {
    if (!(e instanceof Error)) throw new Error(`a non-Error was thrown: ${String(e)}`);
    return { error: e.message };
  }
  const result = { shape: t.shape, dtype: t.dtype, values: Array.from(t.data()) };
  t.dispose();
  return result;
}
