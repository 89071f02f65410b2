// Node, CommonJS: require the installed package and run a tiny computation.
const webtorch = require('webtorch');

webtorch.load().then(async (torch) => {
  const a = torch.tensor([[1, 2], [3, 4]]);
  const b = torch.noGrad(() => a.matmul(a).sum());
  const fromImport = await import('webtorch').then((m) => m.load());
  console.log(JSON.stringify({ kind: 'cjs', version: webtorch.version, backend: torch.backend, sum: b.item(), shared: fromImport === torch }));
});
