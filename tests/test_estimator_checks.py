"""imbalanced-learn's and scikit-learn's API checks on fast settings."""

from imblearn.utils.estimator_checks import parametrize_with_checks


from .conftest import FAST, make_pgan

#: Each expected failure with its reason; nothing else may fail.
EXPECTED_FAILURES = {
    "check_samplers_sparse": "dense-only sampler: sparse X is refused with a TypeError",
    "check_samplers_pandas_sparse": "dense-only sampler: sparse X is refused with a TypeError",
}


def expected_failed_checks(estimator):
    return EXPECTED_FAILURES


@parametrize_with_checks(
    [make_pgan(random_state=0, **FAST)],
    expected_failed_checks=expected_failed_checks,
)
def test_imblearn_and_sklearn_checks(estimator, check):
    check(estimator)
