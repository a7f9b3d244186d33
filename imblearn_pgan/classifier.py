"""End-to-end image classifiers: Algorithm 1 with a trained F, and the CNN with a long-tail loss.

:class:`~imblearn_pgan.PolarityGANClassifier` trains a feature extractor F on
images jointly with P-GAN's classifier C, critic D and generator G, and
predicts with C(F(x)); :class:`CNNClassifier` trains the small CNN of
:func:`small_cnn` with one of the losses of :mod:`imblearn_pgan.losses`,
without synthetic data.

The code lives in ``imblearn_pgan.images`` (``end_to_end`` and ``cnn``);
this module keeps the names importable from here.
"""

from .images.cnn import LOSSES, CNNClassifier, small_cnn
from .images.end_to_end import PolarityGANClassifier

# LOSSES is importable from here too, but documented with CNNClassifier's ``loss``.
__all__ = ["CNNClassifier", "PolarityGANClassifier", "small_cnn"]
