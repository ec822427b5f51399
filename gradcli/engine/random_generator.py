"""PyTorch 2.13's CPU random generator, bit for bit: `torch.Generator`, `manual_seed`,
`initial_seed` and `seed`.

The generator (ATen's `CPUGeneratorImpl`, aten/src/ATen/CPUGeneratorImpl.cpp) is a Mersenne
Twister, mt19937, seeded the classic way from the low 32 bits of the seed
(`init_with_uint32` in aten/src/ATen/core/MT19937RNGEngine.h) while `initial_seed()` keeps all 64.
numpy's `MT19937` bit generator gives the same raw 32-bit stream once its state is set to that
initialisation, so the raw numbers come from numpy (random_uniform.py, random_normal.py and
random_integers.py turn them into PyTorch's values). `random64()` joins two draws as
`hi << 32 | lo`. A scalar normal's second value is cached here too, as ATen caches it in the
generator.
"""

from __future__ import annotations

import os

import numpy as np

from gradcli.engine.errors import TorchValueError

u64 = np.uint64
UINT64 = 1 << 64


def _mt19937_key(seed: int) -> np.ndarray:
    """The state `init_with_uint32(seed)` builds (Matsumoto and Nishimura's init_genrand)."""
    key = [seed & 0xFFFFFFFF]
    for i in range(1, 624):
        previous = key[-1]
        key.append((1812433253 * (previous ^ (previous >> 30)) + i) & 0xFFFFFFFF)
    return np.array(key, dtype=np.uint32)


def _nondeterministic_seed() -> int:
    """c10's getNonDeterministicRandom for CPU: two random_device words folded into 53 bits."""
    first, second = np.frombuffer(os.urandom(8), dtype=np.uint32).tolist()
    return ((first << 1) ^ second) & ((1 << 53) - 1)


def _as_seed(seed) -> int:
    """`torch.manual_seed` takes `int(seed)`; a negative one is read as its two's complement."""
    seed = int(seed)
    if not -(1 << 63) <= seed < UINT64:
        raise TorchValueError("Overflow when unpacking long long")
    return seed % UINT64


class Generator:
    """A CPU `torch.Generator`: the mt19937 stream plus the scalar normal's cached value."""

    def __init__(self, device: str = "cpu") -> None:
        self.manual_seed(_nondeterministic_seed())

    def manual_seed(self, seed) -> "Generator":
        self._initial_seed = _as_seed(seed)
        self._stream = None       # made on the first draw: importing numpy.random costs ~10 ms
        self._next_normal = None
        return self

    @property
    def _bits(self):
        """numpy's mt19937 at this generator's position in the stream."""
        if self._stream is None:
            self._stream = np.random.MT19937(0)
            # pos 624 = ATen's `left_ = 1`: the first draw regenerates the whole state
            self._stream.state = {"bit_generator": "MT19937",
                                  "state": {"key": _mt19937_key(self._initial_seed), "pos": 624}}
        return self._stream

    def initial_seed(self) -> int:
        return self._initial_seed

    def seed(self) -> int:
        new_seed = _nondeterministic_seed()
        self.manual_seed(new_seed)
        return new_seed

    def random(self, n: int) -> np.ndarray:
        """n raw 32-bit outputs (as uint64)."""
        return self._bits.random_raw(n)

    def random64(self, n: int) -> np.ndarray:
        pairs = self._bits.random_raw(2 * n).reshape(n, 2)
        return (pairs[:, 0] << u64(32)) | pairs[:, 1]

    def __repr__(self) -> str:
        return f"<torch._C.Generator object at {id(self):#x}>"


default_generator = Generator()


def manual_seed(seed) -> Generator:
    return default_generator.manual_seed(seed)


def initial_seed() -> int:
    return default_generator.initial_seed()


def seed() -> int:
    return default_generator.seed()
