"""The Challenger O-ring data: launch temperature and O-ring distress on 23 flights."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ._tables import read_table

if TYPE_CHECKING:
    from ..models import LogisticRegression

__all__ = ["ChallengerData", "fit_challenger", "load_challenger"]


@dataclass(frozen=True)
class ChallengerData:
    """The 23 pre-accident flights, one array per column (flight order).

    Attributes
    ----------
    flight : ndarray of int
        Place of the flight in time order, 1-23.
    mission : ndarray of str
        NASA designation, STS-1 ... STS-61-C.
    date : ndarray of datetime64[D]
        Launch date.
    temp_f : ndarray of float
        Launch temperature, degrees Fahrenheit.
    pressure_psi : ndarray of float
        Field-joint leak-check pressure, psi.
    n_orings : ndarray of int
        Field-joint O-rings at risk (6 on every flight).
    distress : ndarray of int
        O-rings with thermal distress (erosion or blow-by): the usual response.
    erosion : ndarray of int
        O-rings with erosion only.
    source : str
        Where the values come from.
    """

    flight: NDArray[np.int64]
    mission: NDArray[np.str_]
    date: NDArray[np.datetime64]
    temp_f: NDArray[np.float64]
    pressure_psi: NDArray[np.float64]
    n_orings: NDArray[np.int64]
    distress: NDArray[np.int64]
    erosion: NDArray[np.int64]
    source: str

    @property
    def columns(self) -> tuple[str, ...]:
        """Names of the data columns."""
        return tuple(f.name for f in fields(self) if f.name != "source")

    def __len__(self) -> int:
        return int(self.flight.shape[0])

    def as_dict(self) -> dict[str, NDArray[Any]]:
        """``{column: array}``, for example for ``pandas.DataFrame(data.as_dict())``."""
        return {c: getattr(self, c) for c in self.columns}


def load_challenger() -> ChallengerData:
    """Load the Challenger O-ring table (23 flights before STS-51-L), shipped with the package.

    On 28 January 1986 Challenger was launched at a forecast 31 °F, far below any
    earlier launch (53-81 °F).  The question of the night before, "is the risk of
    O-ring failure higher when it is cold?", is a logistic regression of
    ``distress > 0`` (or ``distress`` of ``n_orings``) on ``temp_f``.

    Source: Dalal, Fowlkes & Hoadley (1989), "Risk analysis of the space shuttle:
    pre-Challenger prediction of failure", *Journal of the American Statistical
    Association* 84(408):945-957, Table 1, as distributed by the UCI Machine
    Learning Repository ("Challenger USA Space Shuttle O-Ring", Draper 1993); mission
    names, dates and distress counts as in Weisberg's *Applied Linear Regression*
    (R package alr4).  STS-4 is missing because its boosters were lost at sea.
    The sources disagree on two leak-check pressures (STS-8, STS-41-B); the UCI
    values are kept.  ``distress`` counts erosion *or* blow-by, ``erosion`` erosion
    only (they differ on STS-61-A, which had blow-by only).

    Returns
    -------
    ChallengerData
        One NumPy array per column (see :class:`ChallengerData`).

    Examples
    --------
    >>> d = load_challenger()
    >>> len(d), int(d.temp_f.min()), int(d.temp_f.max()), int((d.distress > 0).sum())
    (23, 53, 81, 7)
    """
    comments, header, rows = read_table("challenger.csv")
    cols = {name: [row[i] for row in rows] for i, name in enumerate(header)}
    return ChallengerData(
        flight=np.array(cols["flight"], dtype=np.int64),
        mission=np.array(cols["mission"], dtype=np.str_),
        date=np.array(cols["date"], dtype="datetime64[D]"),
        temp_f=np.array(cols["temp_f"], dtype=np.float64),
        pressure_psi=np.array(cols["pressure_psi"], dtype=np.float64),
        n_orings=np.array(cols["n_orings"], dtype=np.int64),
        distress=np.array(cols["distress"], dtype=np.int64),
        erosion=np.array(cols["erosion"], dtype=np.int64),
        source=" ".join(comments),
    )


def fit_challenger(*, binomial: bool = False) -> LogisticRegression:
    """The course's logistic regression on the 23 flights, fitted by maximum likelihood.

    "Any O-ring distress ~ launch temperature" (``distress > 0`` on ``temp_f``), or
    with ``binomial=True`` "distressed O-rings out of 6 ~ launch temperature"; Newton's
    method, so that the standard errors and intervals are available.  Draw it with
    :func:`crossentropy.plotting.plot_challenger`.

    Parameters
    ----------
    binomial : bool, default False
        Model the counts of distressed O-rings out of ``n_orings`` per flight.

    Returns
    -------
    LogisticRegression
        Fitted on the single feature ``temp_f`` (degrees Fahrenheit).

    Examples
    --------
    >>> m = fit_challenger()
    >>> print(m.params_.round(5))  # intercept, slope per degree F
    [15.0429  -0.23216]
    >>> print(round(float(m.predict_proba([[31.0]])[0, 1]), 5))
    0.99961
    """
    from .._validation import check_bool
    from ..models import LogisticRegression

    d = load_challenger()
    temp = d.temp_f[:, None]
    if check_bool(binomial, "binomial"):
        return LogisticRegression(solver="newton").fit(temp, d.distress, trials=d.n_orings)
    return LogisticRegression(solver="newton").fit(temp, (d.distress > 0).astype(int))
