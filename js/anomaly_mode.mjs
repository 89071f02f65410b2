// The forward stacks of torch.autograd.detectAnomaly (Note [Anomaly mode] in
// src/core/anomaly_mode.h): while the mode is on, each tensor wrapper made by an op gives
// the JavaScript stack of its call to the engine, which names it when that op's backward
// fails. The scoping itself is js/modes.mjs's.

// This package's own files, whose frames are left out of a recorded stack (torch's traceback
// shows the user's frames too, up to the call of the op).
const PACKAGE_DIR = new URL('.', import.meta.url).href;
const PACKAGE_PATH = PACKAGE_DIR.startsWith('file://') ? decodeURIComponent(new URL(PACKAGE_DIR).pathname) : null;

function ownFrame(line) {
  return line.includes(PACKAGE_DIR) || (PACKAGE_PATH !== null && line.includes(PACKAGE_PATH));
}

// The stack of the caller, as the lines of Error().stack without the header and this package's frames.
export function callerStack() {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  let stack;
  try {
    stack = new Error().stack || '';
  } finally {
    Error.stackTraceLimit = limit;
  }
  const lines = stack.split('\n').filter((l) => /^\s+at\s/.test(l) || l.includes('@'));
  return lines.filter((l) => !ownFrame(l)).join('\n');
}

// Called for each new wrapper while the mode is on; nothing happens for a tensor without a
// grad_fn or whose grad_fn has a stack already (the engine checks).
export function recordForwardStack(M, handle) {
  if (M.setForwardStack(handle, callerStack()) === undefined) throw new Error(M.lastError());
}
