// safetensors: files written by a Python script in the reference implementation's layout
// (tests/fixtures/generate_nn.py: struct + json, no safetensors package) load here with the
// same names (in file order), shapes, dtypes and values; saveSafetensors writes exactly the
// bytes of the reference layout; malformed files of many kinds give a clear Error and create
// no tensor.

import { BUILDS, compareTensor, errorOf, fromFixture, nnFixture, readFixtureBytes, sameValues } from './nn_helpers.mjs';

const files = nnFixture().safetensors;

// A file from a header string and data bytes (length prefix computed, no padding unless asked).
function rawFile(header, data = new Uint8Array(0), { headerLength } = {}) {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength ?? h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}
const f32 = (values) => new Uint8Array(new Float32Array(values).buffer);

describe.each(BUILDS)('safetensors on the %s build', (backend, loadBuild) => {
  let torch;
  beforeAll(async () => {
    torch = await loadBuild();
  });

  describe('files written by Python load with identical names, order, shapes and values', () => {
    test.each(files.map((f) => [f.file, f]))('%s', (name, f) => {
      const bytes = readFixtureBytes(f.file);
      const dict = torch.loadSafetensors(bytes);
      expect(Object.keys(dict)).toEqual(f.tensors.map((t) => t.name));
      for (const t of f.tensors) expect(sameValues(dict[t.name], t)).toEqual([]);
      const header = torch.safetensorsHeader(bytes);
      expect(header.metadata).toEqual(f.metadata);
      expect(Object.keys(header.tensors)).toEqual(f.tensors.map((t) => t.name));
      torch.dispose(dict);
    });
  });

  test('saveSafetensors writes the reference layout byte for byte', () => {
    const f = files.find((x) => x.save);
    torch.tidy(() => {
      const dict = {};
      for (const name of f.saveOrder) dict[name] = fromFixture(torch, f.tensors.find((t) => t.name === name)).t;
      const bytes = torch.saveSafetensors(dict, f.metadata);
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(bytes).equals(Buffer.from(readFixtureBytes(f.file)))).toBe(true);
    });
  });

  test('load then save reproduces a reference file exactly', () => {
    const bytes = readFixtureBytes('mixed.safetensors');
    torch.tidy(() => {
      const again = torch.saveSafetensors(torch.loadSafetensors(bytes), torch.safetensorsHeader(bytes).metadata);
      expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    });
  });

  test('a PyTorch state_dict loads into the same model and gives PyTorch\'s outputs', () => {
    const f = files.find((x) => x.net);
    const { nn } = torch;
    class Net extends nn.Module {
      constructor() {
        super();
        this.fc1 = new nn.Linear(4, 8);
        this.act = new nn.ReLU();
        this.fc2 = new nn.Linear(8, 3);
      }
      forward(x) {
        return this.fc2.call(this.act.call(this.fc1.call(x)));
      }
    }
    const net = new Net();
    torch.tidy(() => {
      net.loadStateDict(torch.loadSafetensors(readFixtureBytes(f.file)));
      const y = torch.inferenceMode(() => net.call(fromFixture(torch, f.input).t));
      expect(compareTensor(y, f.output, { rtol: 1e-5, atol: 1e-6 })).toEqual([]);
      // Saving the module itself writes its state dict; reloaded, it is the same file's tensors.
      const tensors = torch.memory().tensors;
      const bytes = torch.saveSafetensors(net, { format: 'pt' });
      expect(torch.memory().tensors).toBe(tensors);
      const again = torch.loadSafetensors(bytes);
      const original = torch.loadSafetensors(readFixtureBytes(f.file));
      expect(Object.keys(again)).toEqual(Object.keys(original));
      for (const k of Object.keys(original)) expect(Array.from(again[k].data())).toEqual(Array.from(original[k].data()));
    });
    net.dispose();
  });

  test('round trip of every dtype, non-contiguous tensors, odd names', () => {
    torch.tidy(() => {
      const t = torch.tensor([[1.5, -2], [3, 4], [5, 6]]).transpose(0, 1); // non-contiguous
      const dict = { __proto__: null };
      Object.defineProperty(dict, '__proto__', { value: torch.tensor([1, 2], { dtype: 'int32' }), enumerable: true });
      dict['layer.0.weight'] = t;
      dict['flags'] = torch.tensor([true, false, true]);
      dict['émoji 🙂'] = torch.zeros([0, 3]);
      dict['s'] = torch.tensor(2.5);
      const back = torch.loadSafetensors(torch.saveSafetensors(dict));
      expect(Object.keys(back).sort()).toEqual(Object.keys(dict).sort());
      expect(back['layer.0.weight'].toArray()).toEqual([[1.5, 3, 5], [-2, 4, 6]]);
      expect(back.__proto__.dtype).toBe('int32');
      expect(back.flags.toArray()).toEqual([true, false, true]);
      expect(back['émoji 🙂'].shape).toEqual([0, 3]);
      expect(back.s.shape).toEqual([]);
      expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    });
  });

  test('saveSafetensors refuses bad input with a clear Error', () => {
    torch.tidy(() => {
      const t = torch.ones([2]);
      expect(errorOf(() => torch.saveSafetensors({ a: [1, 2] }))).toBe("saveSafetensors: 'a': expected a Tensor, got an array");
      expect(errorOf(() => torch.saveSafetensors({ __metadata__: t }))).toBe("saveSafetensors: '__metadata__' is reserved for the metadata and cannot name a tensor");
      expect(errorOf(() => torch.saveSafetensors({ a: t }, { epoch: 3 }))).toBe("saveSafetensors: metadata values must be strings, but 'epoch' is number 3");
      expect(errorOf(() => torch.saveSafetensors(t))).toContain('saveSafetensors: expected an object { name: Tensor }');
      const d = torch.ones([1]);
      d.dispose();
      expect(errorOf(() => torch.saveSafetensors({ d }))).toContain('disposed');
      expect(errorOf(() => torch.loadSafetensors('not bytes'))).toContain('expected the file\'s bytes as a Uint8Array or an ArrayBuffer');
    });
  });

  // Each malformed file: [what, bytes, part of the expected message].
  const valid = () => rawFile('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', f32([1, 2]));
  const cases = [
    ['empty file', () => new Uint8Array(0), 'safetensors: the file is truncated: 0 bytes, fewer than the 8-byte header length'],
    ['5 bytes', () => new Uint8Array(5), 'fewer than the 8-byte header length'],
    ['header longer than the file', () => rawFile('{}', new Uint8Array(0), { headerLength: 100 }), 'the header length is 100 bytes but only 2 bytes follow it'],
    ['oversized header length', () => rawFile('{}', new Uint8Array(0), { headerLength: 2 ** 40 }), 'is larger than the limit of 100000000 bytes'],
    ['data truncated', () => valid().slice(0, -1), "safetensors: tensor 'a': data_offsets [0, 8] lie outside the data section (7 bytes)"],
    ['not JSON', () => rawFile('hello!!!'), 'the header must be a JSON object'],
    ['broken JSON', () => rawFile('{"a":{"dtype":'), 'safetensors: the header is not valid JSON: unexpected end of the JSON text'],
    ['JSON array', () => rawFile('[1,2,3] '), 'the header must be a JSON object, got an array'],
    ['trailing garbage', () => rawFile('{} xx'), 'unexpected data after the JSON value'],
    ['deep nesting', () => rawFile(`{"a":{"x":${'['.repeat(500)}`), 'JSON nested too deeply'],
    ['invalid UTF-8', () => rawFile('{"\uFFFD":1}').map((b, i, a) => (i >= 10 && i < 13 ? 0xff : b)), 'invalid UTF-8'],
    ['unknown dtype', () => rawFile('{"a":{"dtype":"F31","shape":[2],"data_offsets":[0,8]}}', f32([1, 2])), "safetensors: tensor 'a': unknown dtype 'F31'"],
    ['missing shape', () => rawFile('{"a":{"dtype":"F32","data_offsets":[0,8]}}', f32([1, 2])), "tensor 'a': missing field 'shape'"],
    ['negative dim', () => rawFile('{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}', f32([1, 2])), 'expected a non-negative integer'],
    ['offsets do not match the shape', () => rawFile('{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', f32([1, 2])), "tensor 'a': data_offsets [0, 8] hold 8 bytes but shape [3] of F32 needs 12"],
    ['offsets out of range', () => rawFile('{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}', f32([1, 2])), 'lie outside the data section (8 bytes)'],
    ['offsets reversed', () => rawFile('{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}', f32([1, 2])), 'end before they begin'],
    ['overlapping tensors', () => rawFile('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', f32([1, 2])), "safetensors: tensors 'a' and 'b' overlap (data_offsets [0, 8] and [4, 8])"],
    ['a gap', () => rawFile('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', f32([1, 2])), "gap of 4 bytes before tensor 'a'"],
    ['bytes after the last tensor', () => rawFile('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', f32([1, 2])), '4 bytes after the last tensor'],
    ['duplicate names', () => rawFile('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', f32([1, 2])), "safetensors: duplicate tensor name 'a'"],
    ['metadata not strings', () => rawFile('{"__metadata__":{"epoch":3}}'), '__metadata__ must be an object of string values'],
    ['shape overflows', () => rawFile('{"a":{"dtype":"F32","shape":[4294967296,4294967296,4],"data_offsets":[0,8]}}', f32([1, 2])), "shape [4294967296, 4294967296, 4] is too large"],
    ['I64 beyond int32', () => rawFile('{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}', new Uint8Array(new BigInt64Array([2n ** 40n]).buffer)), "tensor 'a': I64 value 1099511627776 at flat index 0 does not fit in int32", 'values'],
  ];

  test.each(cases.map((c) => [c[0], c[1], c[2], c[3] ?? 'header']))('malformed: %s', (what, make, message, kind) => {
    const bytes = make();
    const tensors = torch.memory().tensors;
    const msg = errorOf(() => torch.loadSafetensors(bytes));
    expect(msg).toContain(message);
    expect(msg.startsWith('safetensors: ')).toBe(true);
    expect(torch.memory().tensors).toBe(tensors);
    // Header-level problems fail the header reader too; a value that does not convert only
    // fails the load.
    if (kind !== 'values') expect(errorOf(() => torch.safetensorsHeader(bytes))).toBe(msg);
  });

  test('a later valid tensor is not half-built when an earlier one fails, and nothing leaks over many failures', () => {
    const bad = rawFile('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I64","shape":[1],"data_offsets":[8,16]}}',
      new Uint8Array([...f32([1, 2]), ...new Uint8Array(new BigInt64Array([2n ** 40n]).buffer)]));
    const tensors = torch.memory().tensors;
    for (let i = 0; i < 3; i++) expect(errorOf(() => torch.loadSafetensors(bad))).toContain("tensor 'b'");
    const heap = torch.diagnostics().heapInUse;
    for (let i = 0; i < 200; i++) errorOf(() => torch.loadSafetensors(bad));
    expect(torch.diagnostics().heapInUse).toBe(heap);
    expect(torch.memory().tensors).toBe(tensors);
    torch.tidy(() => expect(torch.ones([2]).sum().item()).toBe(2));
  });

  test('the backend is the expected build', () => {
    expect(torch.backend).toBe(backend);
  });
});
