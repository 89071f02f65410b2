"""A nanoGPT-style character-level GPT, trained briefly with PyTorch 1.13.1, and the golden
values webtorch's port (examples/gpt/model.mjs) is checked against.

Run with Debian's torch:  /usr/bin/python3 examples/gpt/train_gpt.py
The text is the King James Version's Genesis and Exodus (public domain), as Debian's
bible-kjv-text package ships it, printed by its `bible` program (package bible-kjv):
`apt-get install bible-kjv` first. Writes, next to this script:
  model.safetensors  the weights, as safetensors.torch.save_model writes them (the tied
                     lm_head.weight / transformer.wte.weight stored once)
  golden.json        the vocabulary and configuration, the logits of a fixed batch, a greedy
                     continuation of the prompt, and the losses of 20 AdamW + clip_grad_norm_
                     steps from the saved weights on fixed batches
"""

import json
import math
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "fixtures"))
import generate_nn_extras as extras  # noqa: E402  (pins torch's kernels and one thread; save_model's bytes)

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CONFIG = dict(n_layer=4, n_head=4, n_embd=128, block_size=64)
TRAIN_STEPS = int(os.environ.get("GPT_TRAIN_STEPS", "200"))
BATCH = 8
PROMPT = "And God said"
NEW_TOKENS = 50


def kjv_text():
    out = subprocess.run(["bible", "-f", "gen1:1-exo40:38"], check=True, capture_output=True, text=True).stdout
    # Each line is "Ge1:1 In the beginning ..."; keep the verses, one a line.
    return "".join(line.split(" ", 1)[1] + "\n" for line in out.splitlines() if " " in line)


class CausalSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.n_head = c["n_head"]
        self.c_attn = nn.Linear(c["n_embd"], 3 * c["n_embd"])
        self.c_proj = nn.Linear(c["n_embd"], c["n_embd"])
        n = c["block_size"]
        self.register_buffer("bias", torch.tril(torch.ones(n, n)).view(1, 1, n, n), persistent=False)

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(C, dim=2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float("-inf"))
        att = F.softmax(att, dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y)


class MLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c_fc = nn.Linear(c["n_embd"], 4 * c["n_embd"])
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(4 * c["n_embd"], c["n_embd"])

    def forward(self, x):
        return self.c_proj(self.gelu(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.ln_1 = nn.LayerNorm(c["n_embd"])
        self.attn = CausalSelfAttention(c)
        self.ln_2 = nn.LayerNorm(c["n_embd"])
        self.mlp = MLP(c)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.config = c
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(c["vocab_size"], c["n_embd"]),
            wpe=nn.Embedding(c["block_size"], c["n_embd"]),
            h=nn.ModuleList([Block(c) for _ in range(c["n_layer"])]),
            ln_f=nn.LayerNorm(c["n_embd"]),
        ))
        self.lm_head = nn.Linear(c["n_embd"], c["vocab_size"], bias=False)
        self.transformer.wte.weight = self.lm_head.weight  # weight tying, as nanoGPT
        self.apply(self._init_weights)
        for pn, p in self.named_parameters():
            if pn.endswith("c_proj.weight"):
                torch.nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * c["n_layer"]))

    def _init_weights(self, m):
        if isinstance(m, nn.Linear):
            torch.nn.init.normal_(m.weight, mean=0.0, std=0.02)
            if m.bias is not None:
                torch.nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Embedding):
            torch.nn.init.normal_(m.weight, mean=0.0, std=0.02)

    def forward(self, idx, targets=None):
        T = idx.size(1)
        pos = torch.arange(0, T, dtype=torch.long)
        x = self.transformer.wte(idx) + self.transformer.wpe(pos)
        for block in self.transformer.h:
            x = block(x)
        logits = self.lm_head(self.transformer.ln_f(x))
        if targets is None:
            return logits, None
        return logits, F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))


def batch(data, gen, b, t):
    ix = torch.randint(len(data) - t, (b,), generator=gen)
    x = torch.stack([data[i:i + t] for i in ix])
    y = torch.stack([data[i + 1:i + 1 + t] for i in ix])
    return x, y


@torch.no_grad()
def greedy(model, idx, n):
    for _ in range(n):
        logits, _ = model(idx[:, -model.config["block_size"]:])
        idx = torch.cat([idx, logits[:, -1, :].argmax(-1, keepdim=True)], dim=1)
    return idx


def main():
    text = kjv_text()
    chars = sorted(set(text))
    stoi = {ch: i for i, ch in enumerate(chars)}
    data = torch.tensor([stoi[ch] for ch in text], dtype=torch.long)
    c = dict(CONFIG, vocab_size=len(chars))
    torch.manual_seed(1337)
    model = GPT(c)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
    gen = torch.Generator().manual_seed(1)
    start = time.time()
    for step in range(TRAIN_STEPS):
        lr = 2e-3 * min(1.0, (step + 1) / 50) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * step / TRAIN_STEPS)))
        for g in opt.param_groups:
            g["lr"] = lr
        x, y = batch(data, gen, BATCH, c["block_size"])
        _, loss = model(x, y)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step % 50 == 0 or step == TRAIN_STEPS - 1:
            print(f"step {step} loss {loss.item():.4f} ({time.time() - start:.0f} s)", flush=True)
    model.eval()

    with open(os.path.join(HERE, "model.safetensors"), "wb") as f:
        f.write(extras.save_model_bytes(model))

    # Golden logits on a fixed batch of two sequences of 32 characters.
    gx, _ = batch(data, torch.Generator().manual_seed(2), 2, 32)
    with torch.no_grad():
        logits, _ = model(gx)

    prompt = torch.tensor([[stoi[ch] for ch in PROMPT]], dtype=torch.long)
    out = greedy(model, prompt, NEW_TOKENS)[0].tolist()
    continuation = "".join(chars[i] for i in out)
    print(repr(continuation))

    # 20 fine-tuning steps from the saved weights: AdamW, clip_grad_norm_(1.0), fixed batches.
    model.train()
    ft_opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    fgen = torch.Generator().manual_seed(3)
    ft_batches, ft_losses, ft_norms = [], [], []
    for _ in range(20):
        x, y = batch(data, fgen, 4, 64)
        _, loss = model(x, y)
        ft_opt.zero_grad()
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        ft_opt.step()
        ft_batches.append({"x": x.tolist(), "y": y.tolist()})
        ft_losses.append(loss.item())
        ft_norms.append(norm.item())
    print("fine-tune losses", [round(v, 4) for v in ft_losses])

    golden = {
        "generator": "examples/gpt/train_gpt.py",
        "torch": torch.__version__,
        "text": "King James Version, Genesis 1:1 to Exodus 40:38, from Debian's bible-kjv-text (/usr/lib/bible.data via `bible -f`)",
        "config": c,
        "trainSteps": TRAIN_STEPS,
        "chars": "".join(chars),
        "logitsBatch": gx.tolist(),
        "logits": logits.flatten().tolist(),
        "prompt": PROMPT,
        "newTokens": NEW_TOKENS,
        "continuation": continuation,
        "finetune": {"lr": 1e-3, "weightDecay": 0.01, "maxNorm": 1.0, "batches": ft_batches,
                     "losses": ft_losses, "gradNorms": ft_norms},
    }
    with open(os.path.join(HERE, "golden.json"), "w") as f:
        json.dump(golden, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
