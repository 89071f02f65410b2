// The playground's preset 2-D datasets, in [-1, 1]^2 with labels 0 and 1, made from a
// seeded generator so a preset always looks the same.

export function rng(seed) {
  let s = seed >>> 0 || 1;
  const next = () => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.normal = () => {
    const u = Math.max(next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  return next;
}

const clamp = (v) => Math.max(-0.98, Math.min(0.98, v));

function moons(n, r) {
  const pts = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const t = Math.PI * r();
    const x = label === 0 ? Math.cos(t) : 1 - Math.cos(t);
    const y = label === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
    pts.push([(x - 0.5) * 0.58 + r.normal() * 0.05, (y - 0.25) * 0.58 + r.normal() * 0.05, label]);
  }
  return pts;
}

function circles(n, r) {
  const pts = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const t = 2 * Math.PI * r();
    const radius = label === 0 ? 0.5 * Math.sqrt(r()) * 0.75 : 0.6 + 0.3 * r();
    pts.push([radius * Math.cos(t) + r.normal() * 0.03, radius * Math.sin(t) + r.normal() * 0.03, label]);
  }
  return pts;
}

function xor(n, r) {
  const pts = [];
  for (let i = 0; i < n; i++) {
    let x = r() * 2 - 1;
    let y = r() * 2 - 1;
    // A small margin around the axes keeps the quadrants readable.
    x += Math.sign(x) * 0.05;
    y += Math.sign(y) * 0.05;
    pts.push([x * 0.9, y * 0.9, x * y > 0 ? 0 : 1]);
  }
  return pts;
}

function spiral(n, r) {
  const pts = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const t = (i / n) * 1.0;
    const radius = 0.08 + 0.85 * t;
    const angle = 3.6 * Math.PI * t + label * Math.PI;
    pts.push([radius * Math.cos(angle) + r.normal() * 0.025, radius * Math.sin(angle) + r.normal() * 0.025, label]);
  }
  return pts;
}

export const DATASETS = { moons, circles, xor, spiral };

/** Points [x, y, label] of a preset. */
export function makeDataset(name, n = 200, seed = 7) {
  const make = DATASETS[name];
  if (!make) throw new Error(`unknown dataset ${name}`);
  return make(n, rng(seed)).map(([x, y, label]) => [clamp(x), clamp(y), label]);
}
