"""oneDNN's float32 GELU (the erf form), forward and backward, as PyTorch 2.13 runs it.

ATen hands a float32 `gelu` to oneDNN's eltwise primitive (`eltwise_gelu_erf`) when the input
is contiguous and has more than one element (`use_mkldnn` in aten/src/ATen/native/Activation.cpp,
for `gelu_out_cpu` and `gelu_backward_out_cpu`); otherwise its own kernel computes
`x/2 (1 + erf(x/sqrt 2))` with the C library's erff. oneDNN's JIT code
(src/cpu/x64/injectors/jit_uni_eltwise_injector.cpp, oneDNN v3.12, the version PyTorch 2.13
bundles) is reproduced here operation by operation, for an AVX-512 CPU (the recording machine):
- forward, `gelu_erf_minimax_approx_compute_vector_fwd`: erf(x/sqrt 2) is a degree-5 polynomial
  in |x|, one of 24 picked by the exponent and two mantissa bits of |x|;
- backward, `gelu_erf_compute_vector_bwd`: Abramowitz and Stegun's 7.1.26 erf with oneDNN's
  own exp (`exp_compute_vector_fwd`), times the incoming gradient.
Every `vfmadd` is one fused multiply-add (`fma32`), every other instruction one float32 rounding.
These approximations are what makes PyTorch's GELU at x = -5 20% off the true value.
"""

from __future__ import annotations

import numpy as np

from gradcli.engine.exact_fma import fma32

f32 = np.float32


def _floats(*bits: int) -> np.ndarray:
    """float32 constants from their bit patterns, as oneDNN's tables write them."""
    return np.array(bits, dtype=np.uint32).view(f32)


# gelu_erf_minimax_polynomial: row d holds the degree-d coefficients of the 24 polynomials
# (index 0 is never selected; index 23, erf = 1, serves |x| above the bound; 24 passes NaN on).
MINIMAX = _floats(
    0xa6f2cb94, 0x32827792, 0x3381cc0c, 0x34523d4a, 0x351ac44d, 0x35f36d88, 0x36ee8229,
    0x37b8a3bb, 0x3867a213, 0x3940033b, 0x3a2a5a1d, 0x3ae35863, 0x3b7828f2, 0x3c08b14b,
    0x3c515ed3, 0xbb503236, 0xbd8d8e5e, 0xbe8abcd9, 0xbf0c19a2, 0xbeccb328, 0x3e176ced,
    0x3f470d99, 0x3f7abb28, 0x3f800000, 0x00000000,
    0x3f4c422a, 0x3f4c421f, 0x3f4c4207, 0x3f4c41cb, 0x3f4c413b, 0x3f4c3fad, 0x3f4c3a2f,
    0x3f4c2d40, 0x3f4c146a, 0x3f4bc341, 0x3f4ad08c, 0x3f48f8cf, 0x3f45fac7, 0x3f404e07,
    0x3f3b980f, 0x3f48dff3, 0x3f78b21b, 0x3fbb0704, 0x40019c32, 0x3fe536d6, 0x3f81331e,
    0x3e6c8684, 0x3c98f936, 0x00000000, 0x3f800000,
    0xb62173f4, 0x3735e4cf, 0x37f2ff89, 0x388c23be, 0x3917535c, 0x39ab2ab0, 0x3a60fadb,
    0x3af9b960, 0x3b6e5491, 0x3c0a4ec5, 0x3ca5aa8c, 0x3d2138d9, 0x3d8737d4, 0x3ddfb660,
    0x3e0f27ab, 0x3d94004b, 0xbe0efdeb, 0xbf1d96c3, 0xbf89db58, 0xbf6d9897, 0xbef69fb8,
    0xbdc4f8a8, 0xbbde6422, 0x00000000, 0x00000000,
    0xbe081a19, 0xbe084570, 0xbe08639b, 0xbe089837, 0xbe08f409, 0xbe09ab95, 0xbe0b66d0,
    0xbe0e400a, 0xbe124df8, 0xbe1bde02, 0xbe2f19c9, 0xbe4931bf, 0xbe685fbc, 0xbe89c95f,
    0xbe96cbca, 0xbe8044aa, 0xbe0550f2, 0x3dcfd6a1, 0x3e94c826, 0x3e79345f, 0x3decec91,
    0x3ca46568, 0x3aa1e00a, 0x00000000, 0x00000000,
    0xba3d61db, 0x39f097a3, 0x3a5845dc, 0x3ab1fa35, 0x3b0cefb8, 0x3b653ab6, 0x3bcae527,
    0x3c221712, 0x3c6c5840, 0x3cc0a703, 0x3d1dcc19, 0x3d63656d, 0x3d955907, 0x3dbf9910,
    0x3dd53f69, 0x3db7dcef, 0x3d639ebe, 0xba6ede48, 0xbd22be69, 0xbd041cf1, 0xbc64f5ab,
    0xbb097a32, 0xb8ebf380, 0x00000000, 0x00000000,
    0x3cb7d80c, 0x3c9b6050, 0x3c978d11, 0x3c92e850, 0x3c8d058b, 0x3c848454, 0x3c6cd623,
    0x3c4c824b, 0x3c2a7935, 0x3be0b390, 0x3b0651ac, 0xbb232f53, 0xbbd42fa0, 0xbc2c5366,
    0xbc492c9e, 0xbc2a7aa6, 0xbbd55d04, 0xba823a76, 0x3b102aa8, 0x3ae25a7e, 0x3a31f792,
    0x38b84375, 0x3689bb5a, 0x00000000, 0x00000000,
).reshape(6, 25)
INDEX_BIAS = np.int32(-0x3de00001)          # gelu_erf_idx_bias 0xc21fffff, as an int32
(RIGHT_BOUND,) = _floats(0x40b15cee)       # gelu_erf_rbound, about 5.54: erf is 1 above it

# exp_compute_vector_fwd: clamp to [ln FLT_MIN, ln FLT_MAX], n = floor(x log2 e + 1/2),
# r = x - n ln 2 (one fma), a degree-5 polynomial in r, times 2^(n-1) times 2.
LN_FLT_MIN, LN_FLT_MAX, LOG2_E, LN_2 = _floats(0xc2aeac50, 0x42b17218, 0x3fb8aa3b, 0x3f317218)
EXP_POLY = _floats(0x3c07cfce, 0x3d2b9d0d, 0x3e2aad40, 0x3efffee3, 0x3f7ffffb)  # p5 ... p1

# gelu_erf_Abramowitz_Stegun_*: erf(r) = 1 - t (a1 + a2 t + ... + a5 t^4) t exp(-r^2),
# t = 1 / (1 + p |r|)
AS_P, ONE_OVER_SQRT_TWO, ONE_OVER_SQRT_PI = _floats(0x3ea7ba05, 0x3f3504f3, 0x3f106eba)
AS_POLY = _floats(0x3f87dc22, 0xbfba00e3, 0x3fb5f0e3, 0xbe91a98e, 0x3e827906)  # a5 ... a1

ONE, HALF, TWO = f32(1), f32(0.5), f32(2)


def uses_onednn(a: np.ndarray) -> bool:
    """ATen's use_mkldnn(input): float32, contiguous, more than one element."""
    return a.dtype == f32 and a.size > 1 and a.flags.c_contiguous


def _with_sign_of(value: np.ndarray, sign_source: np.ndarray) -> np.ndarray:
    """`value` with its sign bit xor-ed with that of `sign_source` (oneDNN's vxorps)."""
    sign = sign_source.view(np.uint32) & np.uint32(0x80000000)
    return (value.view(np.uint32) ^ sign).view(f32)


def gelu(s: np.ndarray) -> np.ndarray:
    """gelu_erf_minimax_approx_compute_vector_fwd: s (1 + p(|s|) sign(s)) / 2."""
    s = np.asarray(s, f32)
    magnitude = np.abs(s)
    index = (magnitude.view(np.int32) + INDEX_BIAS) >> 21     # exponent and 2 mantissa bits
    index = np.where(RIGHT_BOUND < magnitude, 23, np.clip(index, 1, 24))
    polynomial = MINIMAX[5][index]
    for degree in range(4, -1, -1):
        polynomial = fma32(polynomial, magnitude, MINIMAX[degree][index])
    return (s * (_with_sign_of(polynomial, s) + ONE)) * HALF


def _exp(x: np.ndarray) -> np.ndarray:
    """exp_compute_vector_fwd (inputs below ln FLT_MIN give 0)."""
    underflow = x < LN_FLT_MIN
    x = np.maximum(np.minimum(x, LN_FLT_MAX), LN_FLT_MIN)
    n = np.floor(x * LOG2_E + HALF)
    r = fma32(-n, LN_2, x)
    scale = np.where(underflow, 0, ((n - ONE).astype(np.int32) + 127) << 23)  # 2^(n-1)
    y = np.full(x.shape, EXP_POLY[0], f32)
    for coefficient in (*EXP_POLY[1:], ONE):
        y = fma32(y, r, coefficient)
    return (y * scale.astype(np.int32).view(f32)) * TWO   # n may reach 128


def gelu_derivative(s: np.ndarray) -> np.ndarray:
    """gelu_erf_compute_vector_bwd: 1/2 + erf(r)/2 + r exp(-r^2)/sqrt(pi), r = s/sqrt 2."""
    s = np.asarray(s, f32)
    r = s * ONE_OVER_SQRT_TWO
    gaussian = _exp(-(r * r))
    density_term = (r * ONE_OVER_SQRT_PI) * gaussian
    t = ONE / fma32(AS_P, np.abs(r), ONE)
    polynomial = np.full(s.shape, AS_POLY[0], f32)
    for coefficient in AS_POLY[1:]:
        polynomial = fma32(polynomial, t, coefficient)
    erf = _with_sign_of(fma32(-gaussian * t, polynomial, ONE), r)
    return fma32(erf, HALF, density_term + HALF)


def gelu_backward(grad: np.ndarray, s: np.ndarray) -> np.ndarray:
    """jit_uni_eltwise's backward: the derivative times the incoming gradient."""
    return gelu_derivative(s) * np.asarray(grad, f32)
