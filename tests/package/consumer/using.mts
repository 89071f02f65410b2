// `using` on tensors (TypeScript >= 5.2 with lib esnext.disposable): the tensor is disposed
// at the end of the block.
import { load, type Tensor } from 'webtorch';

const torch = await load();
let escaped: Tensor;
{
  using t = torch.ones([4]);
  t.add_(1);
  escaped = t;
}
const disposed: boolean = escaped.isDisposed;
void disposed;
