// Appends a custom section named "webtorch" to a .wasm file, holding the JSON
// { version, backend } of the build, so the loader can tell which build some bytes are and
// whether they belong to this release BEFORE instantiating them (Note [Build stamp] in
// js/loader.mjs). Custom sections may appear anywhere in a module and never change what it
// does.
//   node scripts/stamp-wasm.mjs dist/webtorch-simd.wasm 0.1.0 wasm-simd
import { readFileSync, writeFileSync } from 'node:fs';

const [file, version, backend] = process.argv.slice(2);
if (!file || !version || !backend) {
  console.error('usage: node scripts/stamp-wasm.mjs FILE.wasm VERSION BACKEND');
  process.exit(2);
}

function leb128(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function customSection(name, payload) {
  const nameBytes = new TextEncoder().encode(name);
  const body = [...leb128(nameBytes.length), ...nameBytes, ...payload];
  return Uint8Array.from([0, ...leb128(body.length), ...body]);
}

const bytes = readFileSync(file);
const module = new WebAssembly.Module(bytes);
if (WebAssembly.Module.customSections(module, 'webtorch').length !== 0) {
  console.error(`${file} is already stamped`);
  process.exit(1);
}
const payload = new TextEncoder().encode(JSON.stringify({ version, backend }));
writeFileSync(file, Buffer.concat([bytes, customSection('webtorch', payload)]));
