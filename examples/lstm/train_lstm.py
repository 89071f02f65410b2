#!/usr/bin/python3
"""Train the digits LSTM in PyTorch and write its weights and golden values as safetensors, for
webtorch (examples/lstm/lstm.mjs, tests/js/example_lstm.test.mjs).

    /usr/bin/python3 examples/lstm/train_lstm.py

The model reads an 8x8 digit (examples/digits' data) as a sequence of its 8 rows, top to
bottom, each row 8 grey levels / 16:
  lstm = nn.LSTM(8, 32, num_layers=2, batch_first=True)   [B, 8, 8] -> [B, 8, 32]
  fc   = nn.Linear(32, 10)                                 the last step's output -> 10 logits

Training: torch.manual_seed(0) for the initialisation, Adam(lr=0.01), cross-entropy, batches of
64 in the file's (already shuffled) order, EPOCHS epochs, on the 1437 training rows.

Writes (small, committed):
  lstm-digits.safetensors   the state_dict (lstm.weight_ih_l0 ... lstm.bias_hh_l1, fc.weight,
                            fc.bias; F32), metadata with the architecture, the final accuracy
                            and the held-out accuracy after each epoch (webtorch, trained
                            from torch.manual_seed(0)'s weights the same way, follows them)
  torch-golden.safetensors  logits [360, 10]: the held-out rows' logits (eval), which webtorch
                            must reproduce from lstm-digits.safetensors; losses [STEPS] and
                            final_logits [64, 10]: STEPS more training steps from those weights
                            (SGD lr 0.05 momentum 0.9, batch k = training rows 64k .. 64k+63), the
                            loss of each step and the first batch's logits after them. SGD, not
                            a fresh Adam: Adam's first step moves every weight by about lr
                            whatever its gradient's size, so a gradient near 0 whose sign is
                            float rounding would turn rounding into a visible loss difference
"""

import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "digits"))
from train_torch import load_split, safetensors_bytes, train  # noqa: E402  (the digits example's data, loop and file format)

torch.set_num_threads(1)

EPOCHS, BATCH, LR, STEPS = 8, 64, 0.01, 5
STEP_LR, STEP_MOMENTUM = 0.05, 0.9


class DigitsLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(8, 32, num_layers=2, batch_first=True)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        out, _ = self.lstm(x.view(-1, 8, 8))
        return self.fc(out[:, -1])


def main():
    xtr, ytr, xte, yte = load_split()
    torch.manual_seed(0)
    model = DigitsLSTM()
    accuracies = ["%.4f" % a for a in train(model, xtr, ytr, xte, yte, epochs=EPOCHS, batch=BATCH, lr=LR)]

    model.eval()
    with torch.no_grad():
        logits = model(xte)
    acc = (logits.argmax(1) == yte).float().mean().item()
    meta = {"architecture": "lstm = nn.LSTM(8, 32, num_layers=2, batch_first=True); fc = nn.Linear(32, 10); "
                            "logits = fc(lstm(x.view(-1, 8, 8))[0][:, -1])",
            "input": "64 features: 8x8 grey levels / 16 in [0, 1], read as 8 rows of 8", "output": "10 logits (argmax = digit)",
            "trained_with": "PyTorch %s, Adam lr=%g, batch %d, %d epochs" % (torch.__version__, LR, BATCH, EPOCHS),
            "test_accuracy": "%.4f" % acc, "epoch_accuracies": " ".join(accuracies)}
    with open(os.path.join(HERE, "lstm-digits.safetensors"), "wb") as f:
        f.write(safetensors_bytes([(k, v.numpy()) for k, v in model.state_dict().items()], meta))

    # STEPS more steps from the saved weights, as the webtorch side replays them.
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=STEP_LR, momentum=STEP_MOMENTUM)
    losses = []
    for k in range(STEPS):
        opt.zero_grad()
        loss = F.cross_entropy(model(xtr[k * BATCH:(k + 1) * BATCH]), ytr[k * BATCH:(k + 1) * BATCH])
        loss.backward()
        opt.step()
        losses.append(loss.item())
    with torch.no_grad():
        final_logits = model(xtr[:BATCH])
    golden = [("logits", logits.numpy()), ("losses", torch.tensor(losses).numpy()), ("final_logits", final_logits.numpy())]
    with open(os.path.join(HERE, "torch-golden.safetensors"), "wb") as f:
        f.write(safetensors_bytes(golden, {"test_accuracy": "%.4f" % acc, "steps": str(STEPS), "lr": str(STEP_LR),
                                                 "momentum": str(STEP_MOMENTUM), "batch": str(BATCH)}))
    print("wrote lstm-digits.safetensors and torch-golden.safetensors (test accuracy %.4f, losses %s)"
          % (acc, ", ".join("%.4f" % v for v in losses)))


if __name__ == "__main__":
    main()
