"""
Challenger: would you launch at 31 °F?
======================================

The 23 shuttle flights before the accident: launch temperature and whether an
O-ring showed thermal distress.  A logistic regression
:math:`P(\\text{distress}) = \\sigma(b + a\\,T)` fitted by maximum likelihood says
the risk grows as it gets colder.  The forecast for 28 January 1986 was 31 °F,
far below every earlier launch: the fit gives a probability of distress of
0.9996, and even the lower end of its 95% confidence band is near one half.
"""

from crossentropy.datasets import load_challenger
from crossentropy.models import LogisticRegression
from crossentropy.plotting import plot_challenger

d = load_challenger()
model = LogisticRegression(solver="newton").fit(d.temp_f[:, None], d.distress > 0)
print(model.summary())
at31 = model.predict_proba([[31.0]], interval=0.95)
print(
    f"P(distress at 31 F) = {at31.proba[0, 1]:.5f}, "
    f"95% interval [{at31.lower[0, 1]:.3f}, {at31.upper[0, 1]:.3f}]"
)

plot_challenger(model, at=31.0)
