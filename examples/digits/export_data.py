#!/usr/bin/python3
"""Export scikit-learn's 8x8 digits dataset (UCI optical digits, as Debian's python3-sklearn
ships it) ONCE into digits.safetensors.gz, the compact file the example trains on.

    apt-get install python3-sklearn     # if missing
    /usr/bin/python3 examples/digits/export_data.py

The file is a gzip-compressed safetensors file with two U8 tensors:
  pixels [1797, 64]  grey levels 0..16 (divide by 16 for features in [0, 1])
  labels [1797]      the digit, 0..9
in a fixed shuffled order (numpy seed 0); metadata "train" says how many of the first rows
are the training split (the rest, 360 rows, are the held-out test split).
"""

import gzip
import json
import os
import struct

import numpy as np
from sklearn.datasets import load_digits

HERE = os.path.dirname(os.path.abspath(__file__))
N_TEST = 360


def safetensors_bytes(tensors, metadata):
    """tensors: list of (name, dtype, numpy array); the reference layout (sorted, padded)."""
    order = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"]
    items = sorted(tensors, key=lambda it: (-order.index(it[1]), it[0].encode()))
    header = {"__metadata__": metadata}
    off = 0
    blobs = []
    for name, dt, arr in items:
        raw = np.array(arr, order="C").tobytes()
        header[name] = {"dtype": dt, "shape": list(arr.shape), "data_offsets": [off, off + len(raw)]}
        off += len(raw)
        blobs.append(raw)
    hb = json.dumps(header, separators=(",", ":")).encode()
    hb += b" " * ((8 - len(hb) % 8) % 8)
    return struct.pack("<Q", len(hb)) + hb + b"".join(blobs)


def main():
    d = load_digits()
    pixels = d.data.astype(np.uint8)  # integers 0..16
    labels = d.target.astype(np.uint8)
    assert pixels.max() <= 16 and labels.max() <= 9
    perm = np.random.default_rng(0).permutation(len(labels))
    pixels, labels = pixels[perm], labels[perm]
    meta = {"source": "sklearn.datasets.load_digits (UCI ML hand-written digits, 8x8)", "train": str(len(labels) - N_TEST),
            "test": str(N_TEST), "pixels": "grey levels 0..16, row-major 8x8"}
    data = safetensors_bytes([("pixels", "U8", pixels), ("labels", "U8", labels)], meta)
    with gzip.GzipFile(os.path.join(HERE, "digits.safetensors.gz"), "wb", compresslevel=9, mtime=0) as f:
        f.write(data)
    print("wrote digits.safetensors.gz: %d samples (%d train, %d test), %d bytes uncompressed"
          % (len(labels), len(labels) - N_TEST, N_TEST, len(data)))


if __name__ == "__main__":
    main()
