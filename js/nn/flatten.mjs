// nn.Flatten (torch/nn/modules/flatten.py): flattens dims startDim..endDim (default 1..-1,
// keeping the batch dim).

export function createFlatten({ Module }) {
  class Flatten extends Module {
    constructor(startDim = 1, endDim = -1) {
      super();
      this.startDim = startDim;
      this.endDim = endDim;
    }
    forward(input) {
      return input.flatten(this.startDim, this.endDim);
    }
    extraRepr() {
      return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
    }
  }
  return { Flatten };
}
