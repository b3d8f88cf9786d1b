"""The image data sets of ``xent train``, ``xent evaluate`` and ``xent predict``."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..datasets import ImageDataset

__all__ = ["DATASETS", "load_dataset"]

DATASETS = ("digits", "mnist", "fashion-mnist")


def load_dataset(
    dataset: str,
    data_home: str | None,
    download: bool,
    *,
    quiet: bool = False,
    fallback: bool = False,
) -> tuple[ImageDataset, float]:
    """The data set and the seconds it took to load.

    MNIST or Fashion-MNIST that cannot be had (no files and no download, a failed
    download, a data home that is not a folder) is :class:`DataUnavailable` (exit 1,
    saying how to get it), unless ``fallback``: then the 8 x 8 digits, with a note on
    stderr.  A corrupt file is an error either way.
    """
    from ..datasets import load_with_fallback
    from . import DataUnavailable

    start = time.perf_counter()
    ds, message = load_with_fallback(
        dataset, data_home, download=download, progress=None if not quiet else False
    )
    if message and not fallback:
        reason = message.split("\nFalling back", 1)[0]
        raise DataUnavailable(
            f"{dataset} is not available: {reason}\n"
            "(--fallback-digits trains on the embedded 8 x 8 digits instead)"
        )
    if message:
        print(f"note: {message}", file=sys.stderr)
    return ds, time.perf_counter() - start
