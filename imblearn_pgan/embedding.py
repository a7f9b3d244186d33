"""ResNet image embeddings as a scikit-learn transformer.

:class:`ResNetEmbedder` turns a batch of images into fixed-length feature
vectors, so that tabular oversamplers (P-GAN, SMOTE, ...) and classifiers can
be used on image data inside an :class:`imblearn.pipeline.Pipeline`.

The code lives in ``imblearn_pgan.images.embedding``; this module keeps the
name importable from here.
"""

from .images.embedding import ResNetEmbedder

__all__ = ["ResNetEmbedder"]
