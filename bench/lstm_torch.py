#!/usr/bin/python3
"""PyTorch 1.13.1's side of bench/lstm.mjs (one thread, CPU): the same shapes, weights drawn by
torch.manual_seed(0) as webtorch's, the same inputs (bench/lib/workloads.mjs's data()), forward under
inference_mode and one SGD training step. Prints one JSON line: {shape name: {forward, train}} in
ms per call, the best of `rounds` batches of at least 30 ms.

    /usr/bin/python3 bench/lstm_torch.py '<the SHAPES array of bench/lstm.mjs as JSON>' [rounds]
"""

import json
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


def data(n, seed):
    """bench/lib/workloads.mjs's data(n, seed): an LCG mapped to [-1, 1), as float32."""
    out = np.empty(n, dtype=np.float32)
    s = seed & 0xFFFFFFFF
    for i in range(n):
        s = (s * 1664525 + 1013904223) & 0xFFFFFFFF
        out[i] = (s / 4294967296) * 2 - 1
    return out


def best_ms(fn, rounds):
    n = 1
    while True:  # calibrate to >= 30 ms
        t0 = time.process_time()
        for _ in range(n):
            fn()
        if time.process_time() - t0 >= 0.03:
            break
        n *= 2
    samples = []
    for _ in range(rounds):
        t0 = time.process_time()
        for _ in range(n):
            fn()
        samples.append((time.process_time() - t0) * 1000 / n)
    return min(samples)


def main():
    shapes = json.loads(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    out = {}
    for s in shapes:
        torch.manual_seed(0)
        lstm = nn.LSTM(s["input"], s["hidden"], num_layers=s["layers"], batch_first=True)
        fc = nn.Linear(s["hidden"], s["classes"])
        x = torch.from_numpy(data(s["batch"] * s["steps"] * s["input"], 1)).view(s["batch"], s["steps"], s["input"])
        y = torch.arange(s["batch"]) % s["classes"]
        opt = torch.optim.SGD(list(lstm.parameters()) + list(fc.parameters()), lr=0.01)

        def forward():
            return fc(lstm(x)[0][:, -1])

        def inference():
            with torch.inference_mode():
                forward()

        def train():
            opt.zero_grad()
            F.cross_entropy(forward(), y).backward()
            opt.step()

        with torch.no_grad():
            first = forward()[0, :3].tolist()
        out[s["name"]] = {"forward": best_ms(inference, rounds), "train": best_ms(train, rounds), "first": first}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
