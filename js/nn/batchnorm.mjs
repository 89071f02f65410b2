// nn.BatchNorm1d and nn.BatchNorm2d (torch/nn/modules/batchnorm.py): affine weight and bias,
// the buffers running_mean, running_var and num_batches_tracked (int32 here; PyTorch's int64
// checkpoints load into it), momentum null for a cumulative average.

import { MODULE_UNSUPPORTED, checkOptions } from '../options.mjs';
import { describe } from '../runtime.mjs';
import { pyNumber } from './format.mjs';
import { verifyBatchSize } from './functional_cnn.mjs';
import { checkSize } from './linear.mjs';

export function createBatchNorm({ torch, Module, F, emptyParameter }) {
  class BatchNorm extends Module {
    constructor(cls, numFeatures, options) {
      super();
      const { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true } = checkOptions(cls, options,
        { eps: 'number', momentum: 'any', affine: 'boolean', trackRunningStats: 'boolean' }, MODULE_UNSUPPORTED);
      checkSize(cls, 'numFeatures', numFeatures);
      // null is PyTorch's momentum=None; checkOptions drops it, so read the given value.
      const m = options?.momentum === null ? null : momentum;
      if (m !== null && typeof m !== 'number') throw new Error(`${cls}(): option 'momentum' must be a number or null, got ${describe(m)}`);
      this.numFeatures = numFeatures;
      this.eps = eps;
      this.momentum = m;
      this.affine = affine;
      this.trackRunningStats = trackRunningStats;
      if (affine) {
        this.weight = emptyParameter([numFeatures]);
        this.bias = emptyParameter([numFeatures]);
      } else {
        this.registerParameter('weight', null);
        this.registerParameter('bias', null);
      }
      if (trackRunningStats) {
        this.registerBuffer('running_mean', torch.zeros([numFeatures]));
        this.registerBuffer('running_var', torch.ones([numFeatures]));
        this.registerBuffer('num_batches_tracked', torch.zeros([], { dtype: 'int32' }));
      } else {
        this.registerBuffer('running_mean', null);
        this.registerBuffer('running_var', null);
        this.registerBuffer('num_batches_tracked', null);
      }
      this.resetParameters();
    }
    // camelCase aliases of the buffers (API.md's numBatchesTracked); the buffers keep
    // PyTorch's names, which are the state-dict keys.
    get runningMean() {
      return this.running_mean;
    }
    get runningVar() {
      return this.running_var;
    }
    get numBatchesTracked() {
      return this.num_batches_tracked;
    }
    resetRunningStats() {
      if (!this.trackRunningStats) return;
      torch.noGrad(() => {
        this.running_mean.zero_();
        this.running_var.fill_(1);
        this.num_batches_tracked.zero_();
      });
    }
    resetParameters() {
      this.resetRunningStats();
      if (this.affine) {
        torch.noGrad(() => {
          this.weight.fill_(1);
          this.bias.zero_();
        });
      }
    }
    forward(input) {
      this._checkInputDim(input);
      const counting = this.training && this.trackRunningStats && this.num_batches_tracked;
      // F.batchNorm's batch-size check runs first here so that a refused batch changes
      // nothing (PyTorch has already counted it; README, "Differences from PyTorch").
      if (counting) verifyBatchSize(input.shape);
      let factor = this.momentum ?? 0;
      if (counting) {
        torch.noGrad(() => this.num_batches_tracked.add_(1));
        if (this.momentum === null) factor = 1 / this.num_batches_tracked.item();
      }
      const bnTraining = this.training || (!this.running_mean && !this.running_var);
      const useStats = !this.training || this.trackRunningStats;
      return F.batchNorm(input, useStats ? this.running_mean : null, useStats ? this.running_var : null,
        { weight: this.weight, bias: this.bias, training: bnTraining, momentum: factor, eps: this.eps });
    }
    extraRepr() {
      const py = (b) => (b ? 'True' : 'False');
      const momentum = this.momentum === null ? 'None' : pyNumber(this.momentum);
      return `${this.numFeatures}, eps=${pyNumber(this.eps)}, momentum=${momentum}, affine=${py(this.affine)}, track_running_stats=${py(this.trackRunningStats)}`;
    }
  }

  class BatchNorm1d extends BatchNorm {
    constructor(numFeatures, options = {}) {
      super('BatchNorm1d', numFeatures, options);
    }
    _checkInputDim(input) {
      if (input.ndim !== 2 && input.ndim !== 3) throw new Error(`expected 2D or 3D input (got ${input.ndim}D input)`);
    }
  }

  class BatchNorm2d extends BatchNorm {
    constructor(numFeatures, options = {}) {
      super('BatchNorm2d', numFeatures, options);
    }
    _checkInputDim(input) {
      if (input.ndim !== 4) throw new Error(`expected 4D input (got ${input.ndim}D input)`);
    }
  }

  return { BatchNorm1d, BatchNorm2d };
}
