"""imbalanced-learn's and scikit-learn's API checks of every sampler, on fast settings."""

import pytest
from imblearn.utils.estimator_checks import parametrize_with_checks

from imblearn_pgan import ConvexRandomSampler
from imblearn_pgan._base import BaseGANSampler
from imblearn_pgan.baselines import ACGANSampler, BAGANSampler, CGANSampler, WGANGPSampler

from .conftest import FAST, make_pgan

BASELINE = dict(n_iter=8, batch_size=32, hidden_dim=16, latent_dim=4, device="cpu",
                random_state=0)

SAMPLERS = [
    make_pgan(random_state=0, **FAST),
    ACGANSampler(**BASELINE),
    BAGANSampler(autoencoder_steps=8, **BASELINE),
    CGANSampler(**BASELINE),
    WGANGPSampler(**BASELINE),
    ConvexRandomSampler(random_state=0),
]

#: The GAN samplers' expected failures, each with its reason; nothing else may fail.
GAN_FAILURES = {
    "check_samplers_sparse": "dense-only sampler: sparse X is refused with a TypeError",
    "check_samplers_pandas_sparse": "dense-only sampler: sparse X is refused with a TypeError",
}


def expected_failed_checks(estimator):
    return GAN_FAILURES if isinstance(estimator, BaseGANSampler) else {}


# imblearn hands pytest a generator of the checks; pytest wants a collection.
_checks = parametrize_with_checks(SAMPLERS, expected_failed_checks=expected_failed_checks)


@pytest.mark.parametrize(_checks.args[0], list(_checks.args[1]), **_checks.kwargs)
def test_imblearn_and_sklearn_checks(estimator, check):
    check(estimator)
