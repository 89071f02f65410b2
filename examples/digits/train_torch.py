#!/usr/bin/python3
"""Train the digits MLP in PyTorch and write its weights as safetensors, for webtorch.

    /usr/bin/python3 examples/digits/train_torch.py

Architecture (the same as train.mjs builds in webtorch, and as the browser demo loads):
  input: 64 features = the 8x8 grey levels / 16, in [0, 1], row-major
  nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))  ->  10 logits (argmax = digit)

Training: torch.manual_seed(0) for the initialisation, Adam(lr=0.01), cross-entropy, batches
of 64 in the file's (already shuffled) order, 20 epochs, on the 1437 training rows.

Writes (small, committed):
  digits-mlp.safetensors        the state_dict: 0.weight [32, 64], 0.bias [32], 2.weight [10, 32],
                                2.bias [10] (F32), metadata with the architecture and accuracy
  torch-test-logits.safetensors PyTorch's logits for the 360 held-out rows (F32 [360, 10]), which
                                webtorch must reproduce from digits-mlp.safetensors
The safetensors files are written with struct + json in the reference layout (the safetensors
package is not needed).
"""

import gzip
import json
import os
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
torch.set_num_threads(1)

EPOCHS, BATCH, LR = 20, 64, 0.01


def read_safetensors(data):
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {})
    out = {}
    for name, info in header.items():
        b, e = info["data_offsets"]
        dt = {"U8": np.uint8, "F32": np.float32}[info["dtype"]]
        out[name] = np.frombuffer(data[8 + n + b:8 + n + e], dtype=dt).reshape(info["shape"])
    return out, meta


def safetensors_bytes(tensors, metadata):
    """tensors: list of (name, float32 numpy array); the reference layout (sorted by name, padded)."""
    items = sorted(tensors, key=lambda it: it[0].encode())
    header = {"__metadata__": metadata}
    off = 0
    blobs = []
    for name, arr in items:
        raw = np.array(arr, dtype="<f4", order="C").tobytes()
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [off, off + len(raw)]}
        off += len(raw)
        blobs.append(raw)
    hb = json.dumps(header, separators=(",", ":")).encode()
    hb += b" " * ((8 - len(hb) % 8) % 8)
    return struct.pack("<Q", len(hb)) + hb + b"".join(blobs)


def load_split():
    """(x_train, y_train, x_test, y_test) from digits.safetensors.gz: features / 16, int64 labels."""
    with gzip.open(os.path.join(HERE, "digits.safetensors.gz"), "rb") as f:
        data, meta = read_safetensors(f.read())
    n_train = int(meta["train"])
    x = torch.tensor(data["pixels"], dtype=torch.float32) / 16
    y = torch.tensor(data["labels"], dtype=torch.long)
    return x[:n_train], y[:n_train], x[n_train:], y[n_train:]


def train(model, xtr, ytr, xte, yte, epochs=EPOCHS, batch=BATCH, lr=LR):
    """Adam(lr), cross-entropy, batches in the data's order; returns the test accuracy after each epoch
    (also used by examples/lstm/train_lstm.py)."""
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    accuracies = []
    for epoch in range(epochs):
        model.train()
        for i in range(0, xtr.shape[0], batch):
            opt.zero_grad()
            loss = F.cross_entropy(model(xtr[i:i + batch]), ytr[i:i + batch])
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            acc = (model(xte).argmax(1) == yte).float().mean().item()
        accuracies.append(acc)
        print("epoch %2d  last batch loss %.4f  test accuracy %.4f" % (epoch + 1, loss.item(), acc))
    return accuracies


def main():
    xtr, ytr, xte, yte = load_split()
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    train(model, xtr, ytr, xte, yte)

    with torch.no_grad():
        logits = model(xte)
    acc = (logits.argmax(1) == yte).float().mean().item()
    meta = {"architecture": "nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))",
            "input": "64 features: 8x8 grey levels / 16 in [0, 1], row-major", "output": "10 logits (argmax = digit)",
            "trained_with": "PyTorch %s, Adam lr=%g, batch %d, %d epochs" % (torch.__version__, LR, BATCH, EPOCHS),
            "test_accuracy": "%.4f" % acc}
    sd = [(k, v.numpy()) for k, v in model.state_dict().items()]
    with open(os.path.join(HERE, "digits-mlp.safetensors"), "wb") as f:
        f.write(safetensors_bytes(sd, meta))
    with open(os.path.join(HERE, "torch-test-logits.safetensors"), "wb") as f:
        f.write(safetensors_bytes([("logits", logits.numpy())], {"test_accuracy": "%.4f" % acc}))
    print("wrote digits-mlp.safetensors and torch-test-logits.safetensors (test accuracy %.4f)" % acc)


if __name__ == "__main__":
    main()
