// Both wasm builds, for describe.each: every Node suite runs against the SIMD and the scalar
// engine.
import { load } from '../../dist/index.mjs';

export const builds = [
  ['wasm-simd', () => load()],
  ['wasm', () => load({ simd: false })],
];
