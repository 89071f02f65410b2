'use strict';
// CommonJS entry: the same loader, through a dynamic import of the ES module.
//   const { load } = require('webtorch'); const torch = await load();
exports.load = (options) => import('./index.mjs').then((m) => m.load(options));
