#include "kernels/random.h"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace webtorch {
namespace kernels {

// Note [Reproducing torch.rand and torch.randn]
// rand: uniform_real_distribution<float> keeps the low 24 bits of one mt19937 draw:
//   (r & (2^24 - 1)) * 2^-24, element after element (cpu_serial_kernel).
// randn has two paths (aten/src/ATen/native/cpu/DistributionTemplates.h, normal_kernel):
//   * numel < 16: element after element, normal_distribution<double>: u1, u2 from 53-bit
//     doubles (two draws each), r = sqrt(-2 log(1 - u2)), theta = 2 pi u1, returns r cos(theta)
//     and caches r sin(theta) in the generator for the next element, even of a later tensor.
//   * numel >= 16 (contiguous float): fill every element with a uniform float first, then
//     Box-Muller in blocks of 16, pairing j with j + 8 (u1 = 1 - data[j], u2 = data[j + 8]);
//     when numel % 16 != 0 the LAST 16 elements are drawn again and recomputed. The cache is
//     neither read nor written. On x86 with AVX2 (what PyTorch dispatches to on any current
//     CPU, and what generated the fixtures) this is normal_fill_16_AVX2, which uses the
//     Cephes polynomials of avx_mathfun.h (log256_ps, sincos256_ps), compiled by GCC with
//     every multiply-add contracted into an FMA. cephes_log / cephes_sincos below are a
//     scalar transcription with those FMAs written out as std::fma, which reproduces
//     torch.randn bit for bit (checked on 160k values). Without the FMAs the last bit
//     differs in about 1 value in 40000; with libm's logf/cosf far more often.
// std::fma is exact everywhere (it is a software routine on wasm), so every build agrees.

namespace {

float uniform_float(CPUGenerator& gen) {
  return float(gen.random() & ((1u << 24) - 1)) * (1.0f / 16777216.0f);
}

double uniform_double(CPUGenerator& gen) {
  return double(gen.random64() & ((uint64_t(1) << 53) - 1)) * (1.0 / 9007199254740992.0);
}

float normal_double_path(CPUGenerator& gen) {
  if (gen.has_next_double_normal()) return float(gen.take_next_double_normal());
  const double u1 = uniform_double(gen);
  const double u2 = uniform_double(gen);
  const double r = std::sqrt(-2.0 * std::log(1.0 - u2));
  const double theta = 2.0 * 3.14159265358979323846 * u1;
  gen.set_next_double_normal(r * std::sin(theta));
  return float(r * std::cos(theta));
}

inline uint32_t bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
inline float from_bits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

// log256_ps for one lane (x > 0 here: 1 - u with u in [0, 1)).
float cephes_log(float x) {
  x = std::fmax(x, from_bits(0x00800000u));  // cut off denormals
  const int32_t exponent = int32_t(bits(x) >> 23) - 0x7f;
  x = from_bits((bits(x) & ~0x7f800000u) | bits(0.5f));
  float e = float(exponent) + 1.0f;
  const bool small = x < 0.707106781186547524f;  // SQRTHF
  const float tmp = small ? x : 0.0f;
  x = x - 1.0f;
  e = e - (small ? 1.0f : 0.0f);
  x = x + tmp;
  const float z = x * x;
  static const float p[9] = {7.0376836292E-2f,  -1.1514610310E-1f, 1.1676998740E-1f,
                             -1.2420140846E-1f, 1.4249322787E-1f,  -1.6668057665E-1f,
                             2.0000714765E-1f,  -2.4999993993E-1f, 3.3333331174E-1f};
  float y = p[0];
  for (int i = 1; i < 9; ++i) y = std::fma(y, x, p[i]);
  y = y * x;
  y = std::fma(y, z, e * -2.12194440e-4f);
  y = std::fma(-z, 0.5f, y);
  x = x + y;
  return std::fma(e, 0.693359375f, x);
}

// sincos256_ps for one lane (theta >= 0 here).
void cephes_sincos(float xin, float* s, float* c) {
  uint32_t sign_sin = bits(xin) & 0x80000000u;
  float x = from_bits(bits(xin) & 0x7fffffffu);
  float y = x * 1.27323954473516f;  // 4 / pi
  int32_t j = int32_t(y);
  j = (j + 1) & ~1;
  y = float(j);
  const uint32_t swap_sign_sin = uint32_t(j & 4) << 29;
  const bool poly = (j & 2) == 0;
  // Extended precision modular arithmetic: x = ((x - y*DP1) - y*DP2) - y*DP3.
  x = std::fma(y, -0.78515625f, x);
  x = std::fma(y, -2.4187564849853515625e-4f, x);
  x = std::fma(y, -3.77489497744594108e-8f, x);
  const uint32_t sign_cos = uint32_t(~(j - 2) & 4) << 29;
  sign_sin ^= swap_sign_sin;
  const float z = x * x;
  float yc = 2.443315711809948E-005f;
  yc = std::fma(yc, z, -1.388731625493765E-003f);
  yc = std::fma(yc, z, 4.166664568298827E-002f);
  yc = yc * z;
  yc = std::fma(yc, z, -(z * 0.5f));
  yc = yc + 1.0f;
  float ys = -1.9515295891E-4f;
  ys = std::fma(ys, z, 8.3321608736E-3f);
  ys = std::fma(ys, z, -1.6666654611E-1f);
  ys = ys * z;
  ys = std::fma(ys, x, x);
  const float sin1 = poly ? 0.0f : yc, sin2 = poly ? ys : 0.0f;
  const float cos1 = yc - sin1, cos2 = ys - sin2;
  *s = from_bits(bits(sin1 + sin2) ^ sign_sin);
  *c = from_bits(bits(cos1 + cos2) ^ sign_cos);
}

// normal_fill_16_AVX2 with mean 0 and std 1 (its final fmadd(n, 1, 0) is exact).
void normal_fill_16(float* data) {
  const float two_pi = float(2.0f * 3.14159265358979323846);
  for (int j = 0; j < 8; ++j) {
    const float u1 = 1.0f - data[j];
    const float u2 = data[j + 8];
    const float radius = std::sqrt(-2.0f * cephes_log(u1));
    float s, c;
    cephes_sincos(two_pi * u2, &s, &c);
    data[j] = radius * c;
    data[j + 8] = radius * s;
  }
}

}  // namespace

double uniform_real_double(CPUGenerator& gen) { return uniform_double(gen); }

void uniform(const Tensor& dst, CPUGenerator& gen) {
  float* data = dst.data<float>();
  for (int64_t i = 0; i < dst.numel(); ++i) data[i] = uniform_float(gen);
}

void normal(const Tensor& dst, CPUGenerator& gen) {
  float* data = dst.data<float>();
  const int64_t n = dst.numel();
  if (n < 16) {
    for (int64_t i = 0; i < n; ++i) data[i] = normal_double_path(gen);
    return;
  }
  for (int64_t i = 0; i < n; ++i) data[i] = uniform_float(gen);
  for (int64_t i = 0; i + 16 <= n; i += 16) normal_fill_16(data + i);
  if (n % 16 != 0) {
    float* tail = data + n - 16;
    for (int i = 0; i < 16; ++i) tail[i] = uniform_float(gen);
    normal_fill_16(tail);
  }
}

}  // namespace kernels
}  // namespace webtorch
