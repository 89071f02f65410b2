// Turns a drawing into what the digit classifier was trained on.
//
// 8x8 (the UCI / scikit-learn digits set): each digit was a 32x32 binary bitmap, size-
// normalised into the box, and each 4x4 block gives the count of its set pixels (0..16).
// So: binarise the ink, crop it to its bounding box, scale it (keeping the aspect ratio) so
// its longer side fills 32 pixels, centre it, and count blocks.
//
// 28x28 (MNIST): the digit is scaled so its longer side is 20 pixels and placed so its
// centre of mass is at the centre of the 28x28 field; values in [0, 1].

// `ink(x, y)` in [0, 1] over a width x height pad. Returns { pixels: Float32Array(size*size)
// in the training scale (0..16 for 8x8, 0..1 for 28x28), empty }.
export function toModelInput(ink, width, height, size) {
  if (size === 8) return toDigits8(ink, width, height);
  if (size === 28) return toMnist28(ink, width, height);
  throw new Error(`digits: no preprocessing for ${size}x${size} inputs`);
}

function boundingBox(ink, width, height, threshold) {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink(x, y) > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

// Resamples the box into an out x out field: the longer side becomes `fit`, centred at
// (cx, cy) of the field (defaults to its centre). Area sampling, so thin strokes survive.
function resample(ink, box, out, fit, centre = null) {
  const scale = fit / Math.max(box.w, box.h);
  const w = box.w * scale;
  const h = box.h * scale;
  const ox = centre ? centre[0] - w / 2 : (out - w) / 2;
  const oy = centre ? centre[1] - h / 2 : (out - h) / 2;
  const field = new Float32Array(out * out);
  const sub = 4; // samples per output pixel per axis
  for (let fy = 0; fy < out; fy++) {
    for (let fx = 0; fx < out; fx++) {
      let acc = 0;
      for (let sy = 0; sy < sub; sy++) {
        for (let sx = 0; sx < sub; sx++) {
          const px = box.x0 + (fx + (sx + 0.5) / sub - ox) / scale;
          const py = box.y0 + (fy + (sy + 0.5) / sub - oy) / scale;
          if (px >= box.x0 && py >= box.y0 && px < box.x0 + box.w && py < box.y0 + box.h) acc += ink(Math.floor(px), Math.floor(py));
        }
      }
      field[fy * out + fx] = acc / (sub * sub);
    }
  }
  return field;
}

function toDigits8(ink, width, height) {
  const box = boundingBox(ink, width, height, 0.3);
  const pixels = new Float32Array(64);
  if (box === null) return { pixels, empty: true };
  const bitmap = resample(ink, box, 32, 32);
  for (let by = 0; by < 8; by++) {
    for (let bx = 0; bx < 8; bx++) {
      let count = 0;
      for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) if (bitmap[(by * 4 + y) * 32 + bx * 4 + x] > 0.35) count++;
      pixels[by * 8 + bx] = count;
    }
  }
  return { pixels, empty: false };
}

function toMnist28(ink, width, height) {
  const box = boundingBox(ink, width, height, 0.1);
  const pixels = new Float32Array(784);
  if (box === null) return { pixels, empty: true };
  const first = resample(ink, box, 28, 20);
  // Move the centre of mass to the centre, as MNIST's preprocessing did.
  let m = 0;
  let mx = 0;
  let my = 0;
  first.forEach((v, i) => {
    m += v;
    mx += v * (i % 28);
    my += v * Math.floor(i / 28);
  });
  const shiftX = m ? 13.5 - mx / m : 0;
  const shiftY = m ? 13.5 - my / m : 0;
  const field = resample(ink, box, 28, 20, [14 + shiftX, 14 + shiftY]);
  pixels.set(field.map((v) => Math.min(1, v)));
  return { pixels, empty: false };
}
