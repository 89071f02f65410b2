'use strict';
// CommonJS entry: the same loader, reached through a dynamic import of the ES module, so
// both entries share one engine per build.
//   const { load } = require('webtorch'); const torch = await load();
const { VERSION } = require('./version.cjs');

function load(options) {
  return import('./index.mjs').then((m) => m.load(options));
}

exports.load = load;
exports.version = VERSION;
exports.default = load;
