"""glibc's float32 log1p (sysdeps/ieee754/flt-32/s_log1pf.c, fdlibm's algorithm in float
arithmetic), which ATen's scalar loops call through std::log1p (softplus below a whole vector
step); it differs from the correctly rounded value in about 5% of the last bits. Every
operation below rounds to float32 as the C code's do.

log1p(x) = k ln 2 + log(1 + f), 1 + x = 2^k (1 + f) with a correction c for the rounding of
1 + x, log(1 + f) = f - (f^2/2 - s (f^2/2 + R(s^2))), s = f / (2 + f).
"""

from __future__ import annotations

import numpy as np

f32, i32 = np.float32, np.int32
ONE, HALF, TWO = f32(1), f32(0.5), f32(2)
LN2_HI, LN2_LO = f32(6.9313812256e-01), f32(9.0580006145e-06)
LP = tuple(f32(c) for c in (6.6666668653e-01, 4.0000000596e-01, 2.8571429849e-01,
                            2.2222198546e-01, 1.8183572590e-01, 1.5313838422e-01,
                            1.4798198640e-01))


def log1pf(x) -> np.ndarray:
    x = np.asarray(x, f32)
    hx = x.view(i32)
    ax = hx & 0x7fffffff
    # -0.2929 < x < 0.41422 (and not tiny): no reduction, f = x
    direct = (hx < 0x3ed413d7) & ((hx > 0) | (hx <= i32(-1097468385))) & (ax >= 0x31000000)
    # 1 + x = 2^k u, with the correction c of the rounding of 1 + x (below 2^53 or so)
    u = ONE + x
    moderate = hx < 0x5a000000
    hu = np.where(moderate, u.view(i32), hx)
    k = (hu >> 23) - 127
    c = np.where(k > 0, ONE - (u - x), x - (u - ONE)) / np.where(u != 0, u, ONE)
    c = np.where(moderate, c, f32(0))
    hu = hu & 0x007fffff
    low = hu < 0x3504f7
    normalized = np.where(low, hu | 0x3f800000, hu | 0x3f000000).astype(i32).view(f32)
    k = np.where(low, k, k + 1)
    hu = np.where(low, hu, (0x00800000 - hu) >> 2)
    f = np.where(direct, x, normalized - ONE)
    k = np.where(direct, 0, k).astype(i32)
    hu = np.where(direct, 1, hu)
    kf = k.astype(f32)
    hfsq = HALF * f * f
    # |f| < 2^-20 after the reduction
    tiny_r = hfsq * (ONE - f32(0.66666666666666666) * f)
    tiny_f = np.where(k == 0, f - tiny_r, kf * LN2_HI - ((tiny_r - (kf * LN2_LO + c)) - f))
    tiny_f = np.where(f == 0, np.where(k == 0, f32(0), kf * LN2_HI + (c + kf * LN2_LO)), tiny_f)
    s = f / (TWO + f)
    z = s * s
    r = z * (LP[0] + z * (LP[1] + z * (LP[2] + z * (LP[3] + z * (LP[4] + z * (LP[5]
                                                                                + z * LP[6]))))))
    general = np.where(k == 0, f - (hfsq - s * (hfsq + r)),
                       kf * LN2_HI - ((hfsq - (s * (hfsq + r) + (kf * LN2_LO + c))) - f))
    result = np.where(hu == 0, tiny_f, general)
    # |x| < 2^-29: x - x^2/2 (x below 2^-54); x <= -1, inf and NaN as IEEE says
    result = np.where(ax < 0x31000000, np.where(ax < 0x24800000, x, x - x * x * HALF), result)
    result = np.where(x == -1, f32(-np.inf), np.where(x < -1, f32(np.nan), result))
    return np.where(np.isnan(x) | np.isposinf(x), x, result).astype(f32)
