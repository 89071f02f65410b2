// What the loader needs to know about its host: whether it runs in Node, and Node built-ins
// reached at run time only (Note [No Node built-in on the browser path] in loader.mjs).

export const isNode =
  typeof process === 'object' && process !== null && process.versions != null && process.versions.node != null;

export async function nodeBuiltin(name) {
  if (typeof process.getBuiltinModule === 'function') return process.getBuiltinModule(name);
  const specifier = ['node', name].join(':');
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
}
