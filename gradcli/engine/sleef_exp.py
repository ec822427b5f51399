"""Sleef's float64 exp (`Sleef_expd8_u10`, sleef/src/libm/sleefsimddp.c `xexp`), which ATen's
vectorized float64 kernels call through `Vectorized<double>::exp` (softmax, log_softmax and
their backwards), emulated for the AVX-512 build (ENABLE_FMA_DP: every `vmla` is one fused
multiply-add): exp(d) = 2^q exp(s), q = rint(d / ln 2), s reduced with ln 2 in two parts,
exp(s) a degree-10 polynomial evaluated in Estrin's scheme (Sleef's POLY10), then three FMA
steps of Horner's. glibc's exp (std::exp, ATen's scalar loops) differs from it in about 5% of
the last bits.
"""

from __future__ import annotations

import numpy as np

from gradcli.engine.exact_fma import fma64

R_LN2 = 1.442695040888963407359924681001892137426645954152985934135449406931
L2U, L2L = .69314718055966295651160180568695068359375, .28235290563031577122588448175013436025525412068e-12
# c9 .. c0 of POLY10
COEFFICIENTS = (+0.2081276378237164457e-8, +0.2511210703042288022e-7, +0.2755762628169491192e-6,
                +0.2755723402025388239e-5, +0.2480158687479686264e-4, +0.1984126989855865850e-3,
                +0.1388888888914497797e-2, +0.8333333333314938210e-2, +0.4166666666666602598e-1,
                +0.1666666666666669072e+0)


def _pow2(q: np.ndarray) -> np.ndarray:
    return ((q + 1023) << 52).astype(np.int64).view(np.float64)


def _poly10(s, s2, s4, s8):
    c9, c8, c7, c6, c5, c4, c3, c2, c1, c0 = COEFFICIENTS

    def poly2(c1_, c0_):
        return fma64(s, c1_, c0_)

    def poly4(c3_, c2_, c1_, c0_):
        return fma64(s2, poly2(c3_, c2_), poly2(c1_, c0_))

    poly8 = fma64(s4, poly4(c7, c6, c5, c4), poly4(c3, c2, c1, c0))
    return fma64(s8, poly2(c9, c8), poly8)


def exp(d) -> np.ndarray:
    d = np.asarray(d, np.float64)
    # q only matters inside (-1000, 710); clipping keeps the integer conversion defined
    u = np.rint(np.nan_to_num(np.clip(d * R_LN2, -2000.0, 2000.0)))
    q = u.astype(np.int64)
    s = fma64(u, -L2U, d)
    s = fma64(u, -L2L, s)
    s2 = s * s
    s4 = s2 * s2
    s8 = s4 * s4
    p = _poly10(s, s2, s4, s8)
    p = fma64(p, s, 0.5)
    p = fma64(p, s, 1.0)
    p = fma64(p, s, 1.0)
    half = q >> 1                                     # vldexp2: 2^q in two factors
    p = (p * _pow2(half)) * _pow2(q - half)
    p = np.where(d > 709.78271114955742909217217426, np.inf, p)
    p = np.where(d < -1000, 0.0, p)
    return np.where(np.isnan(d), d, p)
