"""The long-tail losses against values computed by hand on tiny tensors."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from imblearn_pgan.images.losses import (
    BalancedSoftmaxLoss,
    LDAMLoss,
    LogitAdjustedLoss,
    NormedLinear,
    effective_number_weights,
    inverse_frequency_weights,
)

# Two rows, three classes of 6, 3 and 1 training rows.
COUNTS = [6, 3, 1]
LOGITS = torch.tensor([[1.0, 0.0, -1.0], [0.5, 0.5, 0.0]])
TARGET = torch.tensor([0, 2])


def nll(logit_rows, targets):
    """Mean of -log softmax(row)[target], written out."""
    values = [-(row[t] - math.log(sum(math.exp(v) for v in row)))
              for row, t in zip(logit_rows, targets)]
    return sum(values) / len(values)


def test_weighted_cross_entropy_by_hand():
    weight = inverse_frequency_weights(COUNTS)
    # n / (K n_k) = 10 / (3 * [6, 3, 1])
    assert torch.allclose(weight, torch.tensor([10 / 18, 10 / 9, 10 / 3]))
    row0 = -(1.0 - math.log(math.e + 1 + math.exp(-1)))
    row1 = -(0.0 - math.log(2 * math.exp(0.5) + 1))
    # torch's weighted mean: sum w_y * loss / sum w_y
    expected = (10 / 18 * row0 + 10 / 3 * row1) / (10 / 18 + 10 / 3)
    assert F.cross_entropy(LOGITS, TARGET, weight=weight).item() == pytest.approx(expected)


def test_effective_number_weights_by_hand():
    beta = 0.5
    raw = [(1 - beta) / (1 - beta ** n) for n in COUNTS]
    expected = [3 * r / sum(raw) for r in raw]
    assert effective_number_weights(COUNTS, beta).tolist() == pytest.approx(expected)
    # beta = 0: every class weighs the same.
    assert effective_number_weights(COUNTS, 0.0).tolist() == pytest.approx([1.0, 1.0, 1.0])


def test_logit_adjusted_loss_by_hand():
    prior = np.array(COUNTS) / 10
    adjusted = [[v + math.log(p) for v, p in zip(row, prior)] for row in LOGITS.tolist()]
    loss = LogitAdjustedLoss(COUNTS)
    assert loss(LOGITS, TARGET).item() == pytest.approx(nll(adjusted, [0, 2]), rel=1e-6)
    half = [[v + 0.5 * math.log(p) for v, p in zip(row, prior)] for row in LOGITS.tolist()]
    assert LogitAdjustedLoss(COUNTS, tau=0.5)(LOGITS, TARGET).item() == pytest.approx(
        nll(half, [0, 2]), rel=1e-6)
    # tau = 0 is plain cross-entropy.
    assert LogitAdjustedLoss(COUNTS, tau=0.0)(LOGITS, TARGET).item() == pytest.approx(
        F.cross_entropy(LOGITS, TARGET).item())


def test_balanced_softmax_by_hand_and_equal_to_logit_adjustment():
    # -log(n_y e^{z_y} / sum_j n_j e^{z_j})
    expected = 0.0
    for row, t in zip(LOGITS.tolist(), [0, 2]):
        terms = [n * math.exp(v) for n, v in zip(COUNTS, row)]
        expected -= math.log(terms[t] / sum(terms)) / 2
    loss = BalancedSoftmaxLoss(COUNTS)(LOGITS, TARGET)
    assert loss.item() == pytest.approx(expected, rel=1e-6)
    assert loss.item() == pytest.approx(LogitAdjustedLoss(COUNTS)(LOGITS, TARGET).item(),
                                        rel=1e-6)


def test_ldam_margins_and_loss_by_hand():
    loss = LDAMLoss([16, 1, 81], max_margin=0.6, scale=2.0)
    # n^(-1/4) = 1/2, 1, 1/3, scaled so that the largest is 0.6
    assert loss.margins.tolist() == pytest.approx([0.3, 0.6, 0.2])
    logits = torch.tensor([[0.2, 0.1, -0.3]])
    for target, margin in [(0, 0.3), (1, 0.6), (2, 0.2)]:
        shifted = logits[0].tolist()
        shifted[target] -= margin
        expected = nll([[2.0 * v for v in shifted]], [target])
        assert loss(logits, torch.tensor([target])).item() == pytest.approx(expected, rel=1e-6)
    # With class weights (the DRW stage): torch's weighted mean.
    loss.weight = torch.tensor([1.0, 3.0, 0.5])
    both = loss(logits.repeat(2, 1), torch.tensor([0, 1]))
    l0 = nll([[2 * 0.2 - 0.6, 0.2, -0.6]], [0])
    l1 = nll([[0.4, 2 * 0.1 - 1.2, -0.6]], [1])
    assert both.item() == pytest.approx((1.0 * l0 + 3.0 * l1) / 4.0, rel=1e-6)


def test_normed_linear_gives_cosines():
    head = NormedLinear(2, 2)
    with torch.no_grad():
        head.weight.copy_(torch.tensor([[2.0, 0.0], [0.0, -3.0]]))
    out = head(torch.tensor([[3.0, 4.0]]))
    # columns (1, 0) and (0, -1) after normalising; input (0.6, 0.8)
    assert out[0].tolist() == pytest.approx([0.6, -0.8])


@pytest.mark.parametrize("build", [
    lambda c: LogitAdjustedLoss(c), lambda c: BalancedSoftmaxLoss(c), lambda c: LDAMLoss(c),
    inverse_frequency_weights, effective_number_weights,
])
@pytest.mark.parametrize("counts", [[5], [3, 0], [2, -1], [[1, 2]], [1, float("nan")]])
def test_bad_class_counts_raise(build, counts):
    with pytest.raises(ValueError, match="class_counts"):
        build(counts)


def test_bad_beta_raises():
    with pytest.raises(ValueError, match="beta"):
        effective_number_weights(COUNTS, beta=1.0)


def test_losses_backpropagate():
    logits = LOGITS.clone().requires_grad_(True)
    for loss in (LogitAdjustedLoss(COUNTS), BalancedSoftmaxLoss(COUNTS), LDAMLoss(COUNTS)):
        logits.grad = None
        loss(logits, TARGET).backward()
        assert torch.isfinite(logits.grad).all() and logits.grad.abs().sum() > 0

