// PyTorch's message formats, for texts that must read as PyTorch's: Python's repr of a
// number, torch.Size, type names.

// repr(float) / repr(int) as Python prints them: shortest round-trip digits, scientific
// notation below 1e-4 and from 1e16 (JavaScript switches at 1e-7 and 1e21).
export function pyNumber(x) {
  if (typeof x === 'boolean') return x ? 'True' : 'False';
  if (typeof x !== 'number') return String(x);
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return String(x);
  const [mant, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${mant}e${exp < 0 ? '-' : '+'}${e}`;
  }
  return String(x);
}

// repr of a Python float: integral values keep their ".0" (for parameters Python code always
// passes as floats, such as Adam's betas).
export function pyFloat(x) {
  const s = pyNumber(x);
  return typeof x === 'number' && Number.isInteger(x) && Math.abs(x) < 1e16 ? `${s}.0` : s;
}

export function torchSize(shape) {
  return `torch.Size([${shape.join(', ')}])`;
}

// Python's type name of a JavaScript value in messages ("cannot assign 'int' as ...").
export function pyTypeName(v) {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'function') return 'function';
  if (v.constructor && v.constructor.name && v.constructor.name !== 'Object') return v.constructor.name;
  return 'dict';
}
