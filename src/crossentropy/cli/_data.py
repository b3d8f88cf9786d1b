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
    dataset: str, data_home: str | None, download: bool, *, quiet: bool = False
) -> tuple[ImageDataset, float]:
    """The data set (falling back to the digits with a note on stderr) and the seconds
    it took to load."""
    from ..datasets import load_with_fallback

    start = time.perf_counter()
    ds, message = load_with_fallback(
        dataset, data_home, download=download, progress=None if not quiet else False
    )
    if message:
        print(f"note: {message}", file=sys.stderr)
    return ds, time.perf_counter() - start
