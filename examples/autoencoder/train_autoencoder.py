#!/usr/bin/python3
"""Train a small convolutional autoencoder on the digits in PyTorch; write its weights and the
golden values webtorch must reproduce (examples/autoencoder/autoencoder.mjs checks them).

    /usr/bin/python3 examples/autoencoder/train_autoencoder.py

Architecture (autoencoder.mjs builds the same, so the state-dict keys match):
  input: [N, 1, 8, 8], the 8x8 grey levels / 16, in [0, 1]
  nn.Sequential(
    nn.Conv2d(1, 8, 3, stride=2, padding=1), nn.LeakyReLU(0.1),          # [N, 8, 4, 4]
    nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.LeakyReLU(0.1),         # [N, 16, 2, 2]
    nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1), nn.ELU(),  # [N, 8, 4, 4]
    nn.ConvTranspose2d(8, 1, 3, stride=2, padding=1, output_padding=1), nn.Sigmoid())  # [N, 1, 8, 8]
  loss: binary cross entropy between the reconstruction and the input.

Training: torch.manual_seed(0), Adam(lr=0.01), batches of 64 in the file's order, 30 epochs on
the 1437 training rows. Then, from the trained weights, STEPS more Adam steps (a fresh Adam,
lr=0.001) on the first STEPS training batches, recording each step's loss.

Writes (small, committed):
  autoencoder.safetensors         the trained state_dict (F32)
  autoencoder-golden.safetensors  recon [16, 1, 8, 8]: the reconstructions of the first 16
                                  held-out images with the trained weights; losses [STEPS]: the
                                  losses of the extra Adam steps; recon_after [16, 1, 8, 8]: the
                                  reconstructions after them
"""

import gzip
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "digits"))
from train_torch import read_safetensors, safetensors_bytes  # noqa: E402

torch.set_num_threads(1)
EPOCHS, BATCH, LR, STEP_LR, STEPS, SHOWN = 30, 64, 0.01, 0.001, 5, 16


def create_model():
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, stride=2, padding=1), nn.LeakyReLU(0.1),
        nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.LeakyReLU(0.1),
        nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1), nn.ELU(),
        nn.ConvTranspose2d(8, 1, 3, stride=2, padding=1, output_padding=1), nn.Sigmoid())


def train_steps(model, opt, x, steps):
    losses = []
    for k in range(steps):
        batch = x[k * BATCH:(k + 1) * BATCH]
        opt.zero_grad()
        loss = F.binary_cross_entropy(model(batch), batch)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


def main():
    with gzip.open(os.path.join(HERE, "..", "digits", "digits.safetensors.gz"), "rb") as f:
        data, meta = read_safetensors(f.read())
    n_train = int(meta["train"])
    x = (torch.tensor(data["pixels"], dtype=torch.float32) / 16).reshape(-1, 1, 8, 8)
    xtr, xte = x[:n_train], x[n_train:]

    torch.manual_seed(0)
    model = create_model()
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    for epoch in range(EPOCHS):
        losses = train_steps(model, opt, xtr, (n_train + BATCH - 1) // BATCH)
        if epoch % 10 == 9:
            print("epoch %2d  mean batch loss %.4f" % (epoch + 1, sum(losses) / len(losses)))

    shown = xte[:SHOWN]
    with torch.no_grad():
        recon = model(shown)
        test_loss = F.binary_cross_entropy(model(xte), xte).item()
    sd = [(k, v.numpy()) for k, v in model.state_dict().items()]
    meta = {"architecture": "see train_autoencoder.py", "input": "[N, 1, 8, 8] grey levels / 16 in [0, 1]",
            "trained_with": "PyTorch %s, Adam lr=%g, batch %d, %d epochs, BCE" % (torch.__version__, LR, BATCH, EPOCHS),
            "test_loss": "%.6f" % test_loss}
    with open(os.path.join(HERE, "autoencoder.safetensors"), "wb") as f:
        f.write(safetensors_bytes(sd, meta))

    steps = train_steps(model, torch.optim.Adam(model.parameters(), lr=STEP_LR), xtr, STEPS)
    with torch.no_grad():
        recon_after = model(shown)
    golden = [("recon", recon.numpy()), ("losses", torch.tensor(steps).numpy()), ("recon_after", recon_after.numpy())]
    with open(os.path.join(HERE, "autoencoder-golden.safetensors"), "wb") as f:
        f.write(safetensors_bytes(golden, {"steps": str(STEPS), "batch": str(BATCH), "lr": str(STEP_LR), "shown": str(SHOWN)}))
    print("test loss %.4f; extra steps' losses %s" % (test_loss, ["%.6f" % v for v in steps]))


if __name__ == "__main__":
    main()
