"""Claims the lecture makes, checked against the models it shows.

A claim is a sentence of the narration that states a measured fact ("the plain RNN falls to
chance beyond 50 words"). Each one is a named check over measurements of the very
checkpoints the lecture draws (`measurements.py`); the narration's numbers are placeholders
filled from the same measurements (`{language.rnn.short}`). `explainer lecture` checks every
claim of the chapters it renders before it renders anything: a false claim stops it with one
line naming the chapter, the claim and the measured value, unless the lecturer asks to render
it anyway, marked as false on screen.

Claims know nothing of the lecture's file format: they are keyed by chapter id.

    >>> from explainer.claims import CLAIMS
    >>> "long-term" in {c.chapter for c in CLAIMS}
    True
"""

from .checks import CLAIMS, Claim, Verdict, check, claims_of
from .measurements import Measurements, fill

__all__ = ["CLAIMS", "Claim", "Measurements", "Verdict", "check", "claims_of", "fill"]
