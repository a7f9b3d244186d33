"""The base of the image classifiers (:mod:`.end_to_end`, :mod:`.cnn`)."""

import torch
from sklearn.base import BaseEstimator, ClassifierMixin

#: No-grad passes hold no activations for backward, so they take larger batches.
INFERENCE_BATCHES = 4


class ImageClassifier(ClassifierMixin, BaseEstimator):
    """What the image classifiers share: predictions and image tags.

    Each subclass defines ``_forward(X, use_classifier)``: the class
    probabilities, or the features the class head takes, as float32.
    """

    def _memory_error(self, exc, remedy):
        """The MemoryError of a CUDA out-of-memory during fit, cache released."""
        if self.device_.type == "cuda":
            torch.cuda.empty_cache()
        return MemoryError(f"{type(self).__name__} ran out of memory on {self.device_}: "
                           f"{remedy}, or use device='cpu'.")

    def predict_proba(self, X):
        """Class probabilities: the softmax of the class head's logits.

        Parameters
        ----------
        X : array-like of shape (N, H, W), (N, H, W, C) or (N, C, H, W)
            Images with as many channels as in :meth:`fit`.

        Returns
        -------
        proba : ndarray of shape (N, n_classes), dtype float32
            Probabilities in the order of ``classes_``.
        """
        return self._forward(X, use_classifier=True)

    def predict(self, X):
        """Most probable class of each image.

        Parameters
        ----------
        X : array-like of shape (N, H, W), (N, H, W, C) or (N, C, H, W)
            Images with as many channels as in :meth:`fit`.

        Returns
        -------
        y_pred : ndarray of shape (N,)
            Labels from ``classes_``.
        """
        return self.classes_[self.predict_proba(X).argmax(1)]

    def transform(self, X):
        """The features that the class head takes.

        F's, standardised as C sees them (:class:`PolarityGANClassifier`), or
        the CNN's (:class:`CNNClassifier`).

        Parameters
        ----------
        X : array-like of shape (N, H, W), (N, H, W, C) or (N, C, H, W)
            Images with as many channels as in :meth:`fit`.

        Returns
        -------
        features : ndarray of shape (N, `n_features_out_`), dtype float32
            Features.
        """
        return self._forward(X, use_classifier=False)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.three_d_array = True
        return tags
