#!/usr/bin/python3
"""Train a small ResNet-style digits classifier in PyTorch and write what webtorch must
reproduce (issue 15, model 1).

    /usr/bin/python3 examples/resnet/train_resnet.py

Data: examples/digits/digits.safetensors.gz (scikit-learn's 8x8 digits, 1437 training rows,
360 held-out rows; grey levels / 16), as images [N, 1, 8, 8].

Architecture (resnet.mjs builds the same modules with the same names):
  stem:   conv (Conv2d(1, 16, 3, padding=1, bias=False)), bn (BatchNorm2d(16)), ReLU
  block1: ResidualBlock(16): relu(x + bn2(conv2(relu(bn1(conv1(x))))))
  pool:   MaxPool2d(2)                          8x8 -> 4x4
  block2: ResidualBlock(16)
  gap:    AdaptiveAvgPool2d(1), flatten
  head:   Linear(16, 10)

Training: torch.manual_seed(0), SGD(lr=0.05, momentum=0.9), cross-entropy, batches of 64 in the
file's order, 8 epochs.

Writes (committed):
  resnet.safetensors  the state_dict as PyTorch keeps it (F32, num_batches_tracked I64),
                      metadata with the architecture and the test accuracy
  golden.safetensors  eval_logits [360, 10]: model.eval() on the test rows;
                      train_logits [64, 10]: model.train() on the first training batch;
                      train_running_mean / train_running_var: stem.bn's buffers after it;
                      sgd_losses [5]: from the saved state, five SGD(lr=0.05, momentum=0.9)
                      steps in train mode on the batches 64*k.. (k = 0..4);
                      sgd_eval_logits [360, 10]: the eval logits after those steps
The safetensors files are written with struct + json in the reference layout.
"""

import copy
import gzip
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
DIGITS = os.path.join(HERE, "..", "digits")
sys.path.insert(0, DIGITS)
from train_torch import read_safetensors  # noqa: E402

LR, MOMENTUM, BATCH, EPOCHS, SGD_STEPS = 0.05, 0.9, 64, 8, 5


class ResidualBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c)
        self.conv2 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(c)

    def forward(self, x):
        return F.relu(x + self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))))


class Stem(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(1, c, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(c)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class ResNet(nn.Module):
    def __init__(self, c=16):
        super().__init__()
        self.stem = Stem(c)
        self.block1 = ResidualBlock(c)
        self.pool = nn.MaxPool2d(2)
        self.block2 = ResidualBlock(c)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Linear(c, 10)

    def forward(self, x):
        x = self.block2(self.pool(self.block1(self.stem(x))))
        return self.head(torch.flatten(self.gap(x), 1))


DTYPES = {torch.float32: ("F32", "<f4"), torch.int64: ("I64", "<i8")}


def safetensors_bytes(tensors, metadata):
    """tensors: list of (name, torch tensor); the reference layout (by dtype, then name; padded)."""
    order = ["I64", "F32"]
    items = sorted(tensors, key=lambda it: (order.index(DTYPES[it[1].dtype][0]), it[0].encode()))
    header = {"__metadata__": metadata}
    off = 0
    blobs = []
    for name, t in items:
        code, np_dtype = DTYPES[t.dtype]
        raw = np.array(t.detach().numpy(), dtype=np_dtype, order="C").tobytes()
        header[name] = {"dtype": code, "shape": list(t.shape), "data_offsets": [off, off + len(raw)]}
        off += len(raw)
        blobs.append(raw)
    hb = json.dumps(header, separators=(",", ":")).encode()
    hb += b" " * ((8 - len(hb) % 8) % 8)
    return struct.pack("<Q", len(hb)) + hb + b"".join(blobs)


def load_data():
    with gzip.open(os.path.join(DIGITS, "digits.safetensors.gz"), "rb") as f:
        data, meta = read_safetensors(f.read())
    n_train = int(meta["train"])
    x = (torch.tensor(data["pixels"], dtype=torch.float32) / 16).reshape(-1, 1, 8, 8)
    y = torch.tensor(data["labels"], dtype=torch.long)
    return x[:n_train], y[:n_train], x[n_train:], y[n_train:]


def sgd_steps(model, xtr, ytr):
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    model.train()
    losses = []
    for k in range(SGD_STEPS):
        opt.zero_grad()
        loss = F.cross_entropy(model(xtr[k * BATCH:(k + 1) * BATCH]), ytr[k * BATCH:(k + 1) * BATCH])
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


def main():
    torch.set_num_threads(1)
    xtr, ytr, xte, yte = load_data()
    torch.manual_seed(0)
    model = ResNet()
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    for epoch in range(EPOCHS):
        model.train()
        for i in range(0, len(xtr), BATCH):
            opt.zero_grad()
            loss = F.cross_entropy(model(xtr[i:i + BATCH]), ytr[i:i + BATCH])
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            acc = (model(xte).argmax(1) == yte).float().mean().item()
        print("epoch %d  last batch loss %.4f  test accuracy %.4f" % (epoch + 1, loss.item(), acc))

    model.eval()
    with torch.no_grad():
        eval_logits = model(xte)
    acc = (eval_logits.argmax(1) == yte).float().mean().item()
    sd = list(model.state_dict().items())
    meta = {"architecture": "ResNet(stem: conv-bn-relu, block1, MaxPool2d(2), block2, AdaptiveAvgPool2d(1), Linear(16, 10))",
            "input": "[N, 1, 8, 8]: 8x8 grey levels / 16", "output": "10 logits (argmax = digit)",
            "trained_with": "PyTorch %s, SGD lr=%g momentum=%g, batch %d, %d epochs" % (
                torch.__version__, LR, MOMENTUM, BATCH, EPOCHS),
            "test_accuracy": "%.4f" % acc}
    with open(os.path.join(HERE, "resnet.safetensors"), "wb") as f:
        f.write(safetensors_bytes(sd, meta))

    trained = copy.deepcopy(model)
    trained.train()
    with torch.no_grad():
        train_logits = trained(xtr[:BATCH])
    stepped = copy.deepcopy(model)
    losses = sgd_steps(stepped, xtr, ytr)
    stepped.eval()
    with torch.no_grad():
        sgd_eval_logits = stepped(xte)
    golden = [("eval_logits", eval_logits), ("train_logits", train_logits),
              ("train_running_mean", trained.stem.bn.running_mean), ("train_running_var", trained.stem.bn.running_var),
              ("sgd_losses", torch.tensor(losses, dtype=torch.float32)), ("sgd_eval_logits", sgd_eval_logits)]
    with open(os.path.join(HERE, "golden.safetensors"), "wb") as f:
        f.write(safetensors_bytes(golden, {"test_accuracy": "%.4f" % acc, "sgd_losses": json.dumps(losses)}))
    print("wrote resnet.safetensors and golden.safetensors (test accuracy %.4f, SGD losses %s)" % (acc, losses))


if __name__ == "__main__":
    main()
