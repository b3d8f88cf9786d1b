r"""Maximum likelihood worked out: the die with :math:`r` red faces."""

from __future__ import annotations

from .._validation import check_integer
from ._common import check_digits, check_rows
from ._explanation import Doc, Explanation
from ._markup import Inline, Math, fmt, num

__all__ = ["explain_dice"]


def _setup(doc: Doc, reds: int, throws: int, faces: int) -> None:
    doc.para(title="Maximum likelihood: the die with r red faces")
    doc.para(
        f"A die has r red faces out of {faces}. Thrown {throws} times, it shows red {reds} "
        "times: which r makes that most probable? Under r a throw is red with probability ",
        Math(f"p = r/{faces}", rf"p = r/{faces}"),
        ", and the number of reds X is binomial:",
    )
    doc.equation(
        Math("L(r)", "L(r)"),
        Math(f"P(X = {reds} | p = r/{faces})", rf"P(X = {reds} \mid p = r/{faces})"),
        Math(
            f"C({throws}, {reds}) p^{reds} (1 - p)^{throws - reds}",
            rf"\binom{{{throws}}}{{{reds}}} p^{{{reds}}} (1 - p)^{{{throws - reds}}}",
        ),
    )


def _against(
    labels: tuple[int, ...], likelihood: list[float], best: int, digits: int
) -> list[Inline]:
    """ ", against 1.2e-05 at r = 1 and 0.000458 at r = 3": the neighbours of ``best``."""
    near = [i for i in (best - 1, best + 1) if 0 <= i < len(labels)]
    parts: list[Inline] = [", against " if near else ""]
    for n, i in enumerate(near):
        parts += [" and " if n else "", num(likelihood[i], digits), " at "]
        parts.append(Math.same(f"r = {labels[i]}"))
    return parts


def explain_dice(
    reds: int = 34, throws: int = 100, *, faces: int = 6, digits: int = 6, max_rows: int = 20
) -> Explanation:
    r"""The die of the course: which number of red faces makes the data most likely?

    A die with :math:`r` red faces out of ``faces`` is thrown ``throws`` times and
    shows red ``reds`` times.  Each :math:`r` gives :math:`p = r / \text{faces}`
    and the binomial likelihood of the observation; the largest wins.  With the
    course's numbers (34 reds in 100 throws) :math:`r = 2` wins with 0.0831.

    Parameters
    ----------
    reds, throws : int, default 34 and 100
        Red throws observed, and throws.
    faces : int, default 6
        Faces of the die.
    digits, max_rows
        As for :func:`explain_entropy`.

    Returns
    -------
    Explanation
        ``value`` is the largest likelihood; ``terms`` the likelihood of each
        :math:`r` from 0 to ``faces`` (:func:`crossentropy.likelihood.dice_likelihood`).

    Examples
    --------
    >>> e = explain_dice()
    >>> print(e.text.split("\n\n")[4])
    The likelihood is largest at r = 2: L(2) = 0.0831417, against 1.20465e-05 at r = 1 and
    0.000458105 at r = 3. Maximum likelihood picks r = 2. Over every p in [0, 1] the
    likelihood would be largest at p = 34/100 = 0.34, the share of reds seen.
    """
    from ..likelihood import binomial_mle, dice_likelihood

    digits, max_rows = check_digits(digits), check_rows(max_rows)
    reds, throws = check_integer(reds, "reds", low=0), check_integer(throws, "throws", low=0)
    faces = check_integer(faces, "faces", low=1)
    grid = dice_likelihood(reds, throws, faces=faces)
    likelihood = [float(v) for v in grid.likelihood]
    best = grid.best_index
    doc = Doc()
    _setup(doc, reds, throws, faces)
    headers = [Math.same("r"), Math.same(f"p = r/{faces}"), Math.same("L(r)")]
    headers.append(Math("ln L(r)", r"\ln L(r)"))
    columns = zip(grid.labels, grid.parameter, likelihood, grid.log_likelihood, strict=True)
    rows = [
        [str(r), fmt(p, digits), fmt(lik, digits), fmt(ll, digits)] for r, p, lik, ll in columns
    ]
    doc.table(headers, rows, max_rows=max_rows)
    r_best, mle = grid.labels[best], binomial_mle(reds, throws)
    doc.para(
        "The likelihood is largest at ",
        Math.same(f"r = {r_best}"),
        ": ",
        Math(
            f"L({r_best}) = {fmt(likelihood[best], digits)}",
            f"L({r_best}) = {num(likelihood[best], digits).tex}",
        ),
        *_against(grid.labels, likelihood, best, digits),
        ". Maximum likelihood picks ",
        Math.same(f"r = {r_best}"),
        ". Over every ",
        Math("p in [0, 1]", r"p \in [0, 1]"),
        " the likelihood would be largest at ",
        Math(
            f"p = {reds}/{throws} = {fmt(mle, digits)}",
            rf"p = {reds}/{throws} = {num(mle, digits).tex}",
        ),
        ", the share of reds seen.",
    )
    doc.para(
        "The likelihoods add up to ",
        num(grid.total(), digits),
        ", not to 1: the likelihood is a function of r for the data seen, not a probability "
        "distribution over r.",
    )
    return doc.finish("dice", likelihood[best], "", likelihood)
