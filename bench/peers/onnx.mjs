// Tiny ONNX models written as protobuf bytes, for onnxruntime-web in the benchmark: one
// graph per benchmark row (Add, Mul, MatMul, Softmax, Conv, an MLP). Only the fields
// onnx.proto needs for these graphs are encoded (ModelProto, GraphProto, NodeProto,
// AttributeProto, TensorProto, ValueInfoProto), with their field numbers from onnx.proto.

const FLOAT = 1; // TensorProto.DataType.FLOAT

class Writer {
  constructor() {
    this.bytes = [];
  }
  varint(v) {
    let n = BigInt(v);
    if (n < 0n) n += 1n << 64n;
    do {
      let b = Number(n & 0x7fn);
      n >>= 7n;
      if (n !== 0n) b |= 0x80;
      this.bytes.push(b);
    } while (n !== 0n);
    return this;
  }
  key(field, wire) {
    return this.varint((field << 3) | wire);
  }
  int(field, v) {
    return this.key(field, 0).varint(v);
  }
  float(field, v) {
    this.key(field, 5);
    const b = new Uint8Array(new Float32Array([v]).buffer);
    this.bytes.push(...b);
    return this;
  }
  bytesField(field, u8) {
    this.key(field, 2).varint(u8.length);
    for (let i = 0; i < u8.length; i++) this.bytes.push(u8[i]);
    return this;
  }
  string(field, s) {
    return this.bytesField(field, new TextEncoder().encode(s));
  }
  message(field, w) {
    return this.bytesField(field, w.finish());
  }
  finish() {
    return Uint8Array.from(this.bytes);
  }
}

function valueInfo(name, shape) {
  const dims = new Writer();
  for (const d of shape) dims.message(1, new Writer().int(1, d)); // Dimension.dim_value
  const tensorType = new Writer().int(1, FLOAT).message(2, dims); // elem_type, shape
  const type = new Writer().message(1, tensorType); // TypeProto.tensor_type
  return new Writer().string(1, name).message(2, type);
}

function initializer(name, shape, data) {
  const w = new Writer();
  for (const d of shape) w.int(1, d); // dims
  w.int(2, FLOAT).string(8, name);
  return w.bytesField(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)); // raw_data
}

function attribute(name, value) {
  const w = new Writer().string(1, name);
  if (Array.isArray(value)) {
    for (const v of value) w.int(8, v); // ints
    return w.int(20, 7); // INTS
  }
  if (Number.isInteger(value)) return w.int(3, value).int(20, 2); // i, INT
  return w.float(2, value).int(20, 1); // f, FLOAT
}

function node(op, inputs, outputs, attrs = {}) {
  const w = new Writer();
  for (const i of inputs) w.string(1, i);
  for (const o of outputs) w.string(2, o);
  w.string(3, `${op}_${outputs[0]}`).string(4, op);
  for (const [k, v] of Object.entries(attrs)) w.message(5, attribute(k, v));
  return w;
}

// { nodes: [[op, inputs, outputs, attrs]], inputs: [[name, shape]], outputs: [[name, shape]],
//   initializers: [[name, shape, Float32Array]] } -> ONNX model bytes (opset 13).
export function onnxModel({ nodes, inputs, outputs, initializers = [] }) {
  const g = new Writer();
  for (const [op, ins, outs, attrs] of nodes) g.message(1, node(op, ins, outs, attrs));
  g.string(2, 'webtorch_bench');
  for (const [name, shape, data] of initializers) g.message(5, initializer(name, shape, data));
  for (const [name, shape] of inputs) g.message(11, valueInfo(name, shape));
  for (const [name, shape] of outputs) g.message(12, valueInfo(name, shape));
  const opset = new Writer().string(1, '').int(2, 13);
  return new Writer().int(1, 8).string(2, 'webtorch-bench').message(8, opset).message(7, g).finish();
}
