"""Views whose storage changes in place after they were made (engine/inplace.py's
regenerated_grad_fn) beyond the golden cases: for random shapes, views (a slice, an index, a
transpose, a reshape, a view of a view) and in-place changes of the base or of another view,
float64 gradients through the view agree with central finite differences."""

from hypothesis import given, settings
from hypothesis import strategies as st
from test_shapes_properties import SHAPES, arrays, check_gradients

FAST = settings(max_examples=30, deadline=None)

# each takes the base z and a dim-0 position i < z.shape[0]; returns a view of z
VIEWS = {
    "slice": lambda z, i: z[i:],
    "index": lambda z, i: z[i],
    "step": lambda z, i: z[::2],
    "transpose": lambda z, i: z.t() if z.ndim == 2 else z.unsqueeze(0),
    "reshape": lambda z, i: z.reshape(-1)[i:],
    "view of view": lambda z, i: z[i:][0:],
}

# each changes z in place: by itself, or through another view of it
CHANGES = {
    "mul_": lambda z: z.mul_(2.5),
    "exp_": lambda z: z.exp_(),
    "add_ then pow_": lambda z: z.add_(1.0).pow_(2),
    "a row through a view": lambda z: z[0].mul_(-3.0),
    "index assignment": lambda z: z.__setitem__(0, z[-1] * 2),
}


@FAST
@given(st.data(), SHAPES, st.sampled_from(sorted(VIEWS)), st.sampled_from(sorted(CHANGES)))
def test_gradients_through_a_view_follow_later_changes(data, shape, view, change):
    i = data.draw(st.integers(0, shape[0] - 1))

    def f(x):
        z = x * 1.0
        v = VIEWS[view](z, i)
        CHANGES[change](z)
        return v * 1.0

    check_gradients(f, data.draw(arrays(shape, low=-1.0, high=1.0)))
