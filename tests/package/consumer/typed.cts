// The CommonJS side under moduleResolution node16: `require('webtorch')` with types from
// dist/index.d.cts.
import webtorch = require('webtorch');

async function main(): Promise<number> {
  const torch: webtorch.Torch = await webtorch.load({ simd: false });
  const t: webtorch.Tensor = torch.noGrad(() => torch.ones([2, 2]).matmul(torch.ones([2, 2])));
  const version: string = webtorch.version;
  void version;
  // @ts-expect-error load takes an options object
  void webtorch.load('simd');
  return t.sum().item();
}
void main;
