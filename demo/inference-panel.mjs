// Inference tensors: buttons that try, outside inferenceMode, what an inference tensor
// forbids, and show the Error each gives (PyTorch's own text); then the clone() fix.

export function initInferencePanel(torch, root = document) {
  const c = torch.keep(torch.inferenceMode(() => torch.ones([2, 2])));
  const a = torch.keep(torch.ones([2, 2], { requiresGrad: true }));
  const results = {};

  const TRIES = [
    { kind: 'inplace', code: 'c.add_(1)', what: 'in-place update', run: () => c.add_(1) },
    { kind: 'requiresGrad', code: 'c.requiresGrad_()', what: 'ask for gradients', run: () => c.requiresGrad_() },
    { kind: 'saved', code: 'a.mul(c)', what: 'save it for backward (a requires grad)', run: () => torch.tidy(() => a.mul(c)) },
    { kind: 'version', code: 'c.version', what: 'read its version counter', run: () => c.version },
  ];

  const list = root.getElementById('inf-buttons');
  for (const t of TRIES) {
    const row = document.createElement('div');
    row.className = 'try';
    row.innerHTML = `<button data-try="${t.kind}"><code>${t.code}</code><br><small>${t.what}</small></button><div class="result" id="inf-${t.kind}">not tried yet</div>`;
    list.append(row);
    row.querySelector('button').addEventListener('click', () => attempt(t));
  }

  function attempt(t) {
    const out = root.getElementById(`inf-${t.kind}`);
    const before = c.toArray();
    try {
      const value = t.run();
      results[t.kind] = { ok: true, value: String(value) };
      out.className = 'result ok';
      out.textContent = `no error: ${value}`;
    } catch (e) {
      // The refused op changed nothing: c still holds its values.
      const untouched = JSON.stringify(c.toArray()) === JSON.stringify(before);
      results[t.kind] = { ok: false, message: e.message, isError: e instanceof Error, untouched };
      out.className = 'result error';
      out.innerHTML = `<span class="kind">${e.constructor.name}:</span> ${escapeHtml(e.message)}` +
        (t.kind === 'inplace' ? `<br><small>c is untouched: ${JSON.stringify(c.toArray())}</small>` : '');
    }
  }

  function cloneFix() {
    const out = root.getElementById('inf-clone-result');
    const lines = [];
    try {
      torch.tidy(() => {
        const k = c.clone();
        lines.push(`k.isInference() → ${k.isInference()}`);
        k.add_(1);
        lines.push(`k.add_(1) → ${JSON.stringify(k.toArray())}`);
        lines.push(`k.version → ${k.version}`);
        lines.push(`a.mul(k).gradFn.name → ${a.mul(k).gradFn.name}`);
        k.requiresGrad_();
        lines.push(`k.requiresGrad_() → requiresGrad ${k.requiresGrad}`);
      });
      results.clone = { ok: true, lines };
      out.className = 'result ok';
    } catch (e) {
      results.clone = { ok: false, message: e.message, lines };
      lines.push(`Error: ${e.message}`);
      out.className = 'result error';
    }
    out.innerHTML = lines.map(escapeHtml).join('<br>');
  }
  root.getElementById('inf-clone').addEventListener('click', cloneFix);

  return { results, tries: TRIES.map((t) => t.kind) };
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]);
}
