#!/usr/bin/python3
"""The PyTorch twin of wgan_gp.mjs (same weights, data, noise and Adam), run with torch 1.13.1:

    /usr/bin/python3 examples/wgan-gp/wgan_gp_torch.py

prints the losses step by step and writes golden.json next to this file, which
tests/js/wgan_gp.test.mjs compares webtorch's run with."""

import json
import math
import os

import torch
from torch import nn

CONFIG = {"steps": 24, "batch": 16, "nCritic": 3, "lambda": 10, "lr": 2e-3, "betas": [0.5, 0.9], "noise": 2,
          "hidden": 16}


def wave(a, b):
    return math.sin(12.9898 * a + 78.233 * b + 0.5)


def frac(x):
    return x - math.floor(x)


def initial_values(p, shape, offset):  # 3 / sqrt(fan_in): a critic far from 1-Lipschitz
    n = math.prod(shape)
    fan_in = shape[1] if len(shape) > 1 else shape[0]
    return [3 * wave(offset + p, i) / math.sqrt(fan_in) for i in range(n)]


def batch_of(s, c=CONFIG):
    real, z, eps = [], [], []
    for j in range(c["batch"]):
        angle = 2 * math.pi * frac(0.618034 * j + 0.1357 * s)
        real.append([math.cos(angle), math.sin(angle)])
        z.append([wave(s + 100, j * c["noise"] + k) for k in range(c["noise"])])
        eps.append([frac(0.37 * j + 0.211 * s + 0.05)])
    return real, z, eps


def create_models(c=CONFIG):
    generator = nn.Sequential(nn.Linear(c["noise"], c["hidden"]), nn.Tanh(), nn.Linear(c["hidden"], 2))
    critic = nn.Sequential(nn.Linear(2, c["hidden"]), nn.Tanh(), nn.Linear(c["hidden"], c["hidden"]), nn.Tanh(),
                           nn.Linear(c["hidden"], 1))
    with torch.no_grad():
        for m, model in enumerate((generator, critic)):
            for i, p in enumerate(model.parameters()):
                p.copy_(torch.tensor(initial_values(i, list(p.shape), 10 * m)).reshape(p.shape))
    return generator, critic


def gradient_penalty(critic, x_hat, lam):
    out = critic(x_hat)
    g, = torch.autograd.grad([out.sum()], [x_hat], create_graph=True)
    return g.pow(2).sum(1).sqrt().sub(1).pow(2).mean().mul(lam)


def train(c=CONFIG):
    generator, critic = create_models(c)
    opt_c = torch.optim.Adam(critic.parameters(), lr=c["lr"], betas=tuple(c["betas"]))
    opt_g = torch.optim.Adam(generator.parameters(), lr=c["lr"], betas=tuple(c["betas"]))
    records = []
    for s in range(c["steps"]):
        real, z, eps = batch_of(s, c)
        x, noise, e = torch.tensor(real), torch.tensor(z), torch.tensor(eps)
        with torch.no_grad():
            fake = generator(noise)
        x_hat = e.mul(x).add(e.neg().add(1).mul(fake)).requires_grad_(True)
        penalty = gradient_penalty(critic, x_hat, c["lambda"])
        wasserstein = critic(x).mean().sub(critic(fake).mean())
        loss = penalty.sub(wasserstein)
        opt_c.zero_grad()
        loss.backward()
        opt_c.step()
        record = {"step": s, "critic": loss.item(), "penalty": penalty.item(), "wasserstein": wasserstein.item()}
        if (s + 1) % c["nCritic"] == 0:
            loss_g = critic(generator(noise)).mean().neg()
            opt_g.zero_grad()
            loss_g.backward()
            opt_g.step()
            record["generator"] = loss_g.item()
        records.append(record)
    return records


def main():
    torch.set_num_threads(1)
    records = train()
    for r in records:
        print("step %2d: critic loss %.6f  penalty %.6f  wasserstein %.6f%s" % (
            r["step"], r["critic"], r["penalty"], r["wasserstein"],
            "  generator loss %.6f" % r["generator"] if "generator" in r else ""))
    out = {"generator": "examples/wgan-gp/wgan_gp_torch.py", "torch": torch.__version__, "config": CONFIG,
           "records": records}
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
