import numpy as np
import pytest

from imblearn_pgan.uncertainty import (
    MEASURES,
    entropy,
    least_confidence,
    margin_of_confidence,
    ratio_of_confidence,
    uncertainty_summary,
)

UNIFORM = np.full((1, 4), 0.25)
ONE_HOT = np.array([[0.0, 1.0, 0.0, 0.0]])
TIE = np.array([[0.4, 0.4, 0.2]])


@pytest.mark.parametrize("fn", MEASURES.values())
def test_extremes(fn):
    assert fn(ONE_HOT) == pytest.approx([0.0])
    assert fn(UNIFORM) == pytest.approx([1.0])


def test_hand_computed_values():
    p = np.array([[0.7, 0.2, 0.1]])
    assert least_confidence(p) == pytest.approx([3 * 0.3 / 2])
    assert margin_of_confidence(p) == pytest.approx([1 - 0.5])
    assert ratio_of_confidence(p) == pytest.approx([0.2 / 0.7])
    h = -(0.7 * np.log2(0.7) + 0.2 * np.log2(0.2) + 0.1 * np.log2(0.1)) / np.log2(3)
    assert entropy(p) == pytest.approx([h])


def test_two_way_tie():
    assert margin_of_confidence(TIE) == pytest.approx([1.0])
    assert ratio_of_confidence(TIE) == pytest.approx([1.0])
    assert least_confidence(TIE) == pytest.approx([3 * 0.6 / 2])
    two = np.array([[0.5, 0.5]])
    assert entropy(two) == pytest.approx([1.0])
    assert least_confidence(two) == pytest.approx([1.0])


def test_summary_is_the_mean_per_measure():
    p = np.vstack([ONE_HOT, UNIFORM])
    assert uncertainty_summary(p) == pytest.approx(
        {"least_confidence": 0.5, "margin": 0.5, "ratio": 0.5, "entropy": 0.5}
    )


@pytest.mark.parametrize("bad", [np.ones(3), np.ones((2, 1)), [[np.nan, 1.0]], [[-0.5, 1.5]]])
def test_bad_proba(bad):
    with pytest.raises(ValueError):
        entropy(bad)
