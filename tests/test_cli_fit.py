"""``xent fit``: a Parquet or CSV file read in blocks, end to end."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from crossentropy.cli import main
from crossentropy.models import LogisticRegression, load_model

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")
pytest.importorskip("formulaic")


@pytest.fixture
def table(tmp_path: Path) -> tuple[Path, object]:
    rng = np.random.default_rng(0)
    n = 900
    frame = pd.DataFrame(
        {"x1": rng.standard_normal(n), "x2": rng.standard_normal(n), "g": rng.choice(["a", "b"], n)}
    )
    frame["y"] = np.where(rng.random(n) < 1 / (1 + np.exp(-frame.x1 + frame.x2)), "yes", "no")
    path = tmp_path / "d.parquet"
    frame.to_parquet(path, row_group_size=250)
    return path, frame


def test_xent_fit_parquet_equals_the_fit_in_memory(
    table: tuple[Path, object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, frame = table
    out = tmp_path / "m.npz"
    code = main(
        [
            "fit",
            str(path),
            "--formula",
            "y ~ x1 + x2 + C(g)",
            "--model",
            "logistic",
            "--block-rows",
            "200",
            "--out",
            str(out),
            "--quiet",
        ]
    )
    assert code == 0
    text = capsys.readouterr().out
    assert "C(g)[T.b]" in text and f"saved {out}" in text
    model = load_model(out)
    X = np.column_stack([frame.x1, frame.x2, (frame.g == "b").astype(float)])  # type: ignore[attr-defined]
    ref = LogisticRegression().fit(X, frame.y)  # type: ignore[attr-defined]
    np.testing.assert_allclose(model.bse_, ref.bse_, rtol=1e-10)
    assert list(model.classes_) == ["no", "yes"]


def test_xent_fit_bad_input_is_one_line(
    table: tuple[Path, object], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = table
    assert main(["fit", str(path)]) == 2
    assert "takes --formula" in capsys.readouterr().err
    assert main(["fit", str(path), "--formula", "log(y) ~ x1"]) == 2
    assert "`formula` must read" in capsys.readouterr().err
    assert main(["fit", str(path), "--formula", "y ~ x1 + nothere"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("xent fit: error:") and err.count("\n") == 1


def test_xent_fit_on_a_scheduler(
    table: tuple[Path, object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    distributed = pytest.importorskip("distributed")
    _, frame = table
    numeric = frame.assign(y=(frame.y == "yes").astype(int))  # type: ignore[attr-defined]
    csv = tmp_path / "d.csv"
    numeric.to_csv(csv, index=False)
    out = tmp_path / "m.npz"
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        code = main(
            [
                "fit",
                str(csv),
                "--formula",
                "y ~ x1 + x2",
                "--scheduler",
                cluster.scheduler_address,
                "--out",
                str(out),
                "--quiet",
            ]
        )
    assert code == 0, capsys.readouterr().err
    ref = LogisticRegression().fit(numeric[["x1", "x2"]], numeric.y)
    np.testing.assert_allclose(load_model(out).bse_, ref.bse_, rtol=1e-10)
    assert main(["fit", str(csv), "--formula", "y ~ C(g)", "--scheduler", "x:1"]) == 2
    assert "column names only" in capsys.readouterr().err
