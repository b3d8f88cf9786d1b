"""``xent evaluate MODEL`` and ``xent predict MODEL IMAGES``: use a model saved by ``xent train``.

The model file is loaded with :func:`crossentropy.models.load_model`, which checks
every array and value in it and never runs code from it.  The data set, image
size and pixel scale come from the file's metadata.

Images for ``predict``, one or more files of these kinds (by file name):

- ``*.npy``: an array of shape (n, height * width), (n, height, width),
  (height, width) or (height * width,); integer pixels are divided by the data
  set's maximum (255 for MNIST, 16 for the digits) as in training, floating-point
  values are used as they are (already in [0, 1]);
- ``*.png``: one grayscale (or RGB, averaged) image of exactly height x width
  pixels, white strokes on black as in MNIST (``--invert`` for dark on light);
- ``*.csv``: one image per row, height * width integer pixel values (a header
  row of names is skipped);
- anything else: an IDX file of images (raw or gzip), such as
  ``t10k-images-idx3-ubyte.gz``.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path
from typing import Any

from . import UsageError
from ._data import DATASETS, load_dataset
from ._report import confusion_text, final_table


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``evaluate`` and ``predict`` sub-commands."""
    e = subparsers.add_parser(
        "evaluate",
        help="test accuracy and confusion matrix of a model saved by `xent train`",
        description="Loss, accuracy and confusion matrix of a saved model on a data set's "
        "test images.",
    )
    e.add_argument("model", metavar="MODEL", help="a model file (model.npz from `xent train`)")
    e.add_argument(
        "--dataset",
        choices=DATASETS,
        default=None,
        help="data set to test on (default: the one the model was trained on)",
    )
    e.add_argument("--data-home", default=None, metavar="DIR", help="folder with the IDX files")
    e.add_argument("--no-download", action="store_true", help="never download")
    e.add_argument("--plot", default=None, metavar="FILE.png", help="save the confusion matrix")
    e.set_defaults(handler=run_evaluate)

    p = subparsers.add_parser(
        "predict",
        help="classify images with a model saved by `xent train`",
        description="Classify images with a saved model.",
        epilog=__doc__.split("Images for ``predict``,")[1].replace("``", "") if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("model", metavar="MODEL", help="a model file (model.npz from `xent train`)")
    p.add_argument("images", nargs="+", metavar="IMAGES", help=".npy, .png, .csv or IDX files")
    p.add_argument(
        "--invert", action="store_true", help="PNG images have dark strokes on a light ground"
    )
    p.add_argument(
        "--out", default=None, metavar="FILE.csv", help="write every prediction and probability"
    )
    p.add_argument(
        "--show", type=int, default=20, metavar="N", help="print the first N predictions (20)"
    )
    p.set_defaults(handler=run_predict)


# ---------------------------------------------------------------------- the model


def _load(path: str) -> tuple[Any, dict[str, Any]]:
    from ..models import LogisticRegression, SoftmaxRegression, load_model

    model, meta = load_model(path, return_metadata=True)
    if not isinstance(model, (SoftmaxRegression, LogisticRegression)):
        raise ValueError(
            f"{path} holds a {type(model).__name__}; this command takes a classifier of "
            "images (a SoftmaxRegression, as `xent train` saves)"
        )
    info = meta.get("cli", {}).get("dataset") if isinstance(meta.get("cli"), dict) else None
    if not isinstance(info, dict):
        # A model saved by the library: infer what can be inferred.
        p = int(model.n_features_in_)
        side = round(p**0.5)
        info = {
            "kind": None,
            "image_shape": [side, side] if side * side == p else [1, p],
            "pixel_max": None,
            "class_names": [str(c) for c in model.classes_],
        }
    try:
        shape = tuple(int(v) for v in info["image_shape"])
        names = [str(n) for n in info["class_names"]]
        pixel_max = info.get("pixel_max")
    except (KeyError, TypeError, ValueError):
        raise ValueError(f"{path}: the data set description in its metadata is invalid") from None
    if len(shape) != 2 or shape[0] * shape[1] != model.n_features_in_:
        raise ValueError(
            f"{path}: image shape {shape} does not match its {model.n_features_in_} features"
        )
    if len(names) != len(model.classes_):
        names = [str(c) for c in model.classes_]
    return model, {**info, "image_shape": shape, "class_names": names, "pixel_max": pixel_max}


# ---------------------------------------------------------------------- evaluate


def run_evaluate(args: argparse.Namespace) -> int:
    from ..models import evaluate

    model, info = _load(args.model)
    kind = args.dataset or info.get("kind")
    if kind not in DATASETS:
        raise UsageError(
            f"{args.model} does not say which data set it was trained on; pass --dataset"
        )
    ds, _ = load_dataset(kind, args.data_home, not args.no_download)
    p = ds.X_test.shape[1]
    if p != model.n_features_in_:
        raise ValueError(
            f"{args.model} takes {model.n_features_in_} pixels per image; the {ds.kind} "
            f"images have {p} ({ds.image_shape[0]} x {ds.image_shape[1]})"
        )
    result = evaluate(model, ds.scaled_test(), ds.y_test)
    cm = result.confusion_matrix
    print(f"{args.model} on the {len(ds.y_test)} {ds.kind} test images")
    print(final_table({"test": {"loss": result.loss, "accuracy": result.accuracy}}))
    print("confusion matrix (rows: true class, columns: predicted class)")
    print(confusion_text(cm, list(ds.class_names)))
    if args.plot:
        from ..plotting import plot_confusion_matrix

        folder = Path(args.plot).parent
        folder.mkdir(parents=True, exist_ok=True)
        from ._files import save_figure

        fig = plot_confusion_matrix(cm, class_names=list(ds.class_names))
        path = save_figure(fig, args.plot, dpi=110, default_name="confusion_matrix.png")
        print(f"figure saved to {path}")
    return 0


# ---------------------------------------------------------------------- predict


def _as_features(arr: Any, shape: tuple[int, int], pixel_max: int | None, name: str) -> Any:
    """(n, h * w) float32 features from an array of pixels (see the module notes)."""
    import numpy as np

    h, w = shape
    a = np.asarray(arr)
    if a.dtype.kind not in "iuf":
        raise ValueError(f"{name}: pixels must be numbers; got dtype {a.dtype}")
    if a.shape in ((h, w), (h * w,)):
        a = a.reshape(1, h * w)
    elif a.ndim == 3 and a.shape[1:] == (h, w):
        a = a.reshape(a.shape[0], h * w)
    elif not (a.ndim == 2 and a.shape[1] == h * w):
        raise ValueError(
            f"{name}: images of {h} x {w} pixels expected (shape (n, {h * w}), (n, {h}, {w}) "
            f"or ({h}, {w})); got shape {a.shape}"
        )
    if a.dtype.kind in "iu":
        if pixel_max is None:
            raise ValueError(
                f"{name}: integer pixels, but the model does not say their maximum; "
                "pass floating-point values in [0, 1]"
            )
        if a.size and (a.min() < 0 or a.max() > pixel_max):
            raise ValueError(f"{name}: integer pixels must be in 0..{pixel_max}")
        out = a.astype(np.float32)
        out /= np.float32(pixel_max)
        return out
    out = a.astype(np.float32)
    if not np.all(np.isfinite(out)):
        raise ValueError(f"{name}: pixel values must be finite")
    if out.size and float(out.max()) > 1.0:
        scale = pixel_max if pixel_max is not None else 255
        _warn(
            f"{name}: pixel values up to {float(out.max()):g}, but the model was trained on "
            f"pixels scaled to [0, 1]: divide them by {scale} (or save them as integers), "
            "else every prediction comes out near certain"
        )
    return out


def _warn(message: str) -> None:
    print(f"xent predict: warning: {message}", file=sys.stderr)


def _png_size(path: Path) -> tuple[int, int] | None:
    """(height, width) from a PNG's header, or None when it is not a PNG."""
    with open(path, "rb") as f:
        head = f.read(24)
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return int.from_bytes(head[20:24], "big"), int.from_bytes(head[16:20], "big")


def _read_png(path: Path, shape: tuple[int, int], invert: bool) -> Any:
    import numpy as np
    from matplotlib.image import imread

    # The size is checked on the header, before decoding: a 400 KB file can hold a
    # 20000 x 20000 image (gigabytes once decoded).
    size = _png_size(path)
    if size is not None and size != shape:
        raise ValueError(
            f"{path}: the image is {size[0]} x {size[1]} pixels; the model takes "
            f"{shape[0]} x {shape[1]} (resize it first)"
        )
    try:
        img = np.asarray(imread(path), dtype=np.float32)  # PNG: floats in [0, 1]
    except (OSError, ValueError, SyntaxError) as exc:
        raise ValueError(f"{path}: not a readable PNG image ({exc})") from None
    if img.ndim == 3:
        img = img[..., :3].mean(axis=2) if img.shape[2] >= 3 else img[..., 0]
    if img.shape != shape:
        raise ValueError(
            f"{path}: the image is {img.shape[0]} x {img.shape[1]} pixels; the model takes "
            f"{shape[0]} x {shape[1]} (resize it first)"
        )
    if invert:
        img = 1.0 - img
    elif float(img.mean()) > 0.5:
        # MNIST's digits are light strokes on a dark ground; most drawings are not.
        _warn(
            f"{path}: the image is mostly light (mean {float(img.mean()):.2f}): dark strokes "
            "on a light ground? The model was trained on light strokes on black: pass "
            "--invert"
        )
    return img.reshape(1, -1).astype(np.float32)


def _read_csv(path: Path, shape: tuple[int, int], pixel_max: int | None) -> Any:
    import numpy as np

    rows = []
    with open(path, newline="") as f:
        for i, row in enumerate(csv.reader(f)):
            if not row:
                continue
            try:
                rows.append([float(v) for v in row])
            except ValueError:
                if i == 0:
                    continue  # a header of column names
                raise ValueError(f"{path}: row {i + 1} holds a non-number") from None
    if not rows:
        raise ValueError(f"{path}: no images")
    width = {len(r) for r in rows}
    if len(width) != 1:
        raise ValueError(f"{path}: the rows have different lengths {sorted(width)}")
    arr = np.array(rows)
    if np.all(arr == np.round(arr)):
        arr = arr.astype(np.int64)
    return _as_features(arr, shape, pixel_max, str(path))


def read_images(
    paths: list[str], shape: tuple[int, int], pixel_max: int | None, invert: bool = False
) -> Any:
    """Features of every image in ``paths``, in order (see the module notes)."""
    import numpy as np

    from ..datasets._idx import read_idx

    parts = []
    for name in paths:
        path = Path(name)
        if not path.is_file():
            raise FileNotFoundError(f"no image file {path}")
        suffix = path.suffix.lower()
        if suffix == ".npy":
            try:
                arr = np.load(path, allow_pickle=False)
            except (ValueError, OSError) as exc:
                raise ValueError(f"{path}: not a readable .npy array ({exc})") from None
            parts.append(_as_features(arr, shape, pixel_max, str(path)))
        elif suffix == ".png":
            parts.append(_read_png(path, shape, invert))
        elif suffix == ".csv":
            parts.append(_read_csv(path, shape, pixel_max))
        else:
            arr = read_idx(path, max_bytes=1 << 30)
            parts.append(_as_features(arr, shape, pixel_max, str(path)))
    return np.concatenate(parts)


def run_predict(args: argparse.Namespace) -> int:
    import numpy as np

    model, info = _load(args.model)
    if args.show < 0:
        raise UsageError(f"--show must be >= 0; got {args.show}")
    X = read_images(args.images, info["image_shape"], info["pixel_max"], args.invert)
    proba = model.predict_proba(X)
    names = info["class_names"]
    best = np.argsort(-proba, axis=1, kind="stable")[:, :2]
    shown = min(len(X), args.show)
    if shown:
        print(f"{'image':>6}  {'predicted':<12}{'probability':>12}  next best")
    for i in range(shown):
        a, b = best[i, 0], best[i, 1] if proba.shape[1] > 1 else best[i, 0]
        print(f"{i:>6}  {names[a]:<12}{proba[i, a]:>12.4f}  {names[b]} ({proba[i, b]:.4f})")
    if shown < len(X):
        print(f"... {len(X) - shown} more" + ("" if args.out else " (--out FILE.csv for all)"))
    counts = np.bincount(best[:, 0], minlength=len(names))
    print(f"{len(X)} image(s): " + ", ".join(f"{names[c]} x{n}" for c, n in enumerate(counts) if n))
    if args.out:
        from ._files import write_text

        table = io.StringIO(newline="")
        writer = csv.writer(table)
        writer.writerow(["image", "predicted", *(f"p_{n}" for n in names)])
        for i in range(len(X)):
            writer.writerow([i, names[best[i, 0]], *(f"{v:.6g}" for v in proba[i])])
        out = write_text(args.out, table.getvalue())
        print(f"predictions written to {out}")
    sys.stdout.flush()
    return 0
