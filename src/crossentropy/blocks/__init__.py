"""Fits on data read in blocks of rows: larger than memory, from files or a cluster.

:func:`fit_blocks` fits a :class:`~crossentropy.models.LinearRegression`,
:class:`~crossentropy.models.LogisticRegression` or
:class:`~crossentropy.models.SoftmaxRegression` to a *source* of row blocks
``(X, y[, sample_weight])``, reading it once per iteration and holding one block
of features at a time.  The result is the estimator fitted as by ``fit`` on the
concatenated rows: the same parameters and standard errors (to rounding: the
sums run over other blocks), the same ``summary()``, saved with ``save_model``.

Sources: a list of blocks, any object that re-iterates its blocks, a callable
returning a new iterator, :class:`NpyBlocks` (``.npy`` files, memory-mapped at
each pass) and :class:`ArrowBlocks` (Parquet or CSV through pyarrow, an optional
dependency).

Examples
--------
>>> import numpy as np
>>> from crossentropy.blocks import fit_blocks
>>> from crossentropy.models import LinearRegression
>>> rng = np.random.default_rng(1)
>>> X = rng.standard_normal((500, 3))
>>> y = X @ [1.0, -2.0, 0.5] + rng.standard_normal(500)
>>> m = fit_blocks(LinearRegression(), [(X[:200], y[:200]), (X[200:], y[200:])])
>>> np.round(m.coef_, 1)
array([ 1. , -2.1,  0.6])
>>> bool(np.allclose(m.bse_, LinearRegression().fit(X, y).bse_, rtol=1e-10))
True
"""

from ._dask import fit_dask
from ._fit import fit_blocks
from ._sources import ArrowBlocks, NpyBlocks

__all__ = ["ArrowBlocks", "NpyBlocks", "fit_blocks", "fit_dask"]
