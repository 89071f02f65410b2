// Tensor lifetime in JavaScript: dispose(), tidy(), keep(), and a FinalizationRegistry
// backstop.
//
// Note [Wrappers own one reference]
// Each JS Tensor owns exactly one reference to its C++ tensor (its handle). dispose()
// releases that reference; the storage itself is freed only when no tensor (view, saved
// tensor, .grad) still uses it. So disposing a view never frees its base's data, and the
// finalizer of a forgotten wrapper can never free memory another live tensor uses.

import { describe } from './runtime.mjs';

export function createLifetime(rt) {
  const { M } = rt;
  const scopes = [];
  const registry =
    typeof FinalizationRegistry === 'function' ? new FinalizationRegistry((h) => M._wt_release(h)) : null;

  // Note [Deferred registration]
  // Registering every wrapper with the FinalizationRegistry at birth, and unregistering it
  // in dispose(), was most of the cost of a tiny op (callgrind of Node: the unregister-token
  // hash table, the identity hash, and old-generation GC of wrappers the registry kept
  // alive). Most wrappers are disposed (by dispose() or tidy()) in the same synchronous
  // run that made them, so they are first kept in a nursery and registered only if they
  // are still alive when it is flushed: at the end of the current job (a microtask) or
  // after NURSERY_MAX births, whichever comes first. A wrapper the user forgets is
  // therefore still released by the finalizer; it is only registered a little later.
  const NURSERY_MAX = 1024;
  const nursery = [];
  let flushQueued = false;
  const schedule = typeof queueMicrotask === 'function' ? queueMicrotask : (f) => Promise.resolve().then(f);

  function flushNursery() {
    flushQueued = false;
    for (let i = 0; i < nursery.length; i++) {
      const t = nursery[i];
      if (t._h !== 0) {
        registry.register(t, t._h, t);
        t._registered = true;
      }
    }
    nursery.length = 0;
  }

  function track(t) {
    if (scopes.length !== 0) scopes[scopes.length - 1].push(t);
    if (registry === null) return;
    if (nursery.push(t) >= NURSERY_MAX) {
      flushNursery();
    } else if (!flushQueued) {
      flushQueued = true;
      schedule(flushNursery);
    }
  }

  function dispose(t) {
    const h = t._h;
    if (h === 0) return;
    t._h = 0;
    if (t._registered) registry.unregister(t);
    M._wt_release(h);
  }

  // Tensors inside what tidy's fn returned: a Tensor, or Tensors in arrays / plain objects.
  function collect(value, out, depth = 0) {
    if (value === null || typeof value !== 'object' || depth > 32) return;
    if (value._h !== undefined && typeof value.dispose === 'function') {
      out.add(value);
    } else if (Array.isArray(value)) {
      for (const v of value) collect(v, out, depth + 1);
    } else if (Object.getPrototypeOf(value) === Object.prototype || value[Symbol.iterator] === undefined) {
      for (const k of Object.keys(value)) collect(value[k], out, depth + 1);
    }
  }

  function endScope(scope, keepSet) {
    scopes.pop();
    const parent = scopes.length !== 0 ? scopes[scopes.length - 1] : null;
    for (const t of scope) {
      if (t._h === 0) continue;
      if (keepSet.has(t)) {
        if (parent !== null) parent.push(t);
      } else if (!t._kept) {
        dispose(t);
      }
    }
  }

  function tidy(nameOrFn, maybeFn) {
    const fn = typeof nameOrFn === 'function' ? nameOrFn : maybeFn;
    if (typeof fn !== 'function') throw new Error(`tidy expects a function, got ${describe(fn)}`);
    refuseAsync('tidy', fn);
    const scope = [];
    scopes.push(scope);
    let result;
    try {
      result = fn();
    } catch (e) {
      endScope(scope, new Set());
      throw e;
    }
    if (isThenable(result)) {
      endScope(scope, new Set());
      result.then(undefined, () => {});
      throw promiseError('tidy');
    }
    const keepSet = new Set();
    collect(result, keepSet);
    endScope(scope, keepSet);
    return result;
  }

  return {
    track,
    dispose,
    tidy,
    keep(t) {
      if (t === null || typeof t !== 'object' || typeof t._h !== 'number') throw new Error(`keep expects a Tensor, got ${describe(t)}`);
      t._kept = true;
      return t;
    },
    get scopeDepth() {
      return scopes.length;
    },
  };
}

export function isThenable(v) {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function';
}

export function promiseError(name) {
  return new Error(
    `${name}: the function returned a Promise. A scope cannot span an await: ${name}() ended when the function returned, ` +
      'before the asynchronous part ran. Run the synchronous part inside the scope, or dispose tensors explicitly in async code.',
  );
}

// Async functions are refused before they run, so nothing they do escapes the scope.
export function refuseAsync(name, fn) {
  const kind = fn.constructor && fn.constructor.name;
  if (kind === 'AsyncFunction' || kind === 'AsyncGeneratorFunction') throw promiseError(name);
}
