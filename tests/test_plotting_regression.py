"""Figures of a line through data: plot_line_fit and plot_mse_surface."""

from __future__ import annotations

import numpy as np
import pytest

from crossentropy.datasets import load_blood_pressure
from crossentropy.plotting import plot_line_fit, plot_mse_surface

RNG = np.random.default_rng(11)
X = np.linspace(0.0, 4.0, 9)
Y = 1.0 + 2.0 * X + RNG.normal(scale=0.5, size=X.size)


def _contour_set(fig):
    [cs] = [c for c in fig.axes[0].collections if hasattr(c, "levels")]
    return cs


def test_line_fit_title_has_the_mean_squared_error():
    fig = plot_line_fit(X, Y, 0.5, 2.5)
    mse = np.mean((Y - 0.5 - 2.5 * X) ** 2)
    assert fig.axes[0].get_title() == f"y = 0.5 + 2.5 x:  mean squared error {mse:.4g}"


def test_line_fit_draws_one_residual_per_point_from_point_to_line():
    fig = plot_line_fit(X, Y, 1.0, 2.0)
    [segments] = [c for c in fig.axes[0].collections if c.get_label() == "residuals"]
    paths = segments.get_segments()
    assert len(paths) == X.size
    for (x0, y0), (x1, y1) in paths:
        assert x0 == x1
        # each segment spans the point and the line at that x
        assert {round(y0, 12), round(y1, 12)} == {
            round(min(Y[X == x0][0], 1 + 2 * x0), 12),
            round(max(Y[X == x0][0], 1 + 2 * x0), 12),
        }


def test_line_fit_without_residuals_and_into_given_axes():
    from matplotlib.figure import Figure

    host = Figure()
    ax = host.add_subplot()
    fig = plot_line_fit(X, Y, 1.0, 2.0, residuals=False, xlabel="age", ax=ax)
    assert fig is host
    assert not [c for c in ax.collections if c.get_label() == "residuals"]
    assert ax.get_xlabel() == "age"


def test_mse_surface_bottom_is_the_least_squares_line():
    slope, intercept = np.polyfit(X, Y, 1)
    b = np.sort(np.append(np.linspace(-2, 4, 60), intercept))
    a = np.sort(np.append(np.linspace(0, 4, 60), slope))
    fig = plot_mse_surface(X, Y, b, a, best=(intercept, slope))
    lowest = np.mean((Y - intercept - slope * X) ** 2)
    # The grid holds the least-squares point, so the lowest level is its error.
    assert _contour_set(fig).levels[0] == pytest.approx(lowest, rel=1e-12)
    assert fig.axes[0].get_xlim() == (b[0], b[-1])


def test_mse_surface_draws_the_paths_given():
    path = np.array([[0.0, 0.0], [0.5, 1.0], [1.0, 2.0]])
    fig = plot_mse_surface(
        X, Y, np.linspace(-1, 3, 20), np.linspace(-1, 3, 20), paths={"learning rate 0.1": path}
    )
    [line] = [ln for ln in fig.axes[0].get_lines() if ln.get_label() == "learning rate 0.1"]
    np.testing.assert_array_equal(line.get_xydata(), path)


def test_mse_surface_of_an_exact_fit_uses_a_linear_scale():
    x = np.array([0.0, 1.0, 2.0])
    grid = np.linspace(0.0, 2.0, 3)  # holds (b, a) = (1, 1): error exactly 0
    fig = plot_mse_surface(x, 1.0 + x, grid, grid)
    assert _contour_set(fig).levels[0] == 0.0


def test_blood_pressure_surface_has_its_bottom_near_the_course_line():
    d = load_blood_pressure()
    fig = plot_mse_surface(d.age, d.sbp, np.linspace(60, 120, 61), np.linspace(0.5, 1.7, 61))
    cs = _contour_set(fig)
    # 87.67 + 1.105 age has mean squared error 349.2; the grid's best is within 1 mmHg².
    assert 349.2 <= cs.levels[0] < 350.2


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: plot_line_fit([1, 2], [1, 2, 3], 0, 1), ValueError, "`x` and `y` must be 1-D"),
        (lambda: plot_line_fit([1, np.nan], [1, 2], 0, 1), ValueError, "`x` must be finite"),
        (lambda: plot_line_fit([1, 2], [1, 2], "0", 1), TypeError, "`intercept` must be a number"),
        (lambda: plot_line_fit([1, 2], [1, 2], 0, np.inf), ValueError, "`slope` must be a finite"),
        (
            lambda: plot_mse_surface([1, 2], [1, 2], [1, 0], [0, 1]),
            ValueError,
            "`intercepts` must be a 1-D increasing",
        ),
        (
            lambda: plot_mse_surface([1, 2], [1, 2], [0, 1], [[0, 1]]),
            ValueError,
            "`slopes` must be a 1-D increasing",
        ),
        (
            lambda: plot_mse_surface([1, 2], [1, 2], [0, 1], [0, 1], paths={"p": [1, 2, 3]}),
            ValueError,
            r"`paths\['p'\]` must have shape \(k, 2\)",
        ),
    ],
)
def test_bad_input_is_named(call, error, match):
    with pytest.raises(error, match=match):
        call()
