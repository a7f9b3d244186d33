"""Tests for the image classifiers on tiny images: PolarityGANClassifier (Algorithm 1
with a trained F) and CNNClassifier (the same CNN with a long-tail loss or sampler)."""

import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.datasets import load_digits

from imblearn_pgan import CNNClassifier, PolarityGANClassifier
from imblearn_pgan.images.cnn import LOSSES
from imblearn_pgan.images import cnn as cnn_module
from imblearn_pgan.images import end_to_end as end_to_end_module
from imblearn_pgan.polarity import PolarityGAN

from .conftest import cuda

FAST = dict(
    n_rounds=2, warmup_steps=3, feature_steps=1, gan_steps=1, batch_size=16,
    sampler_params=dict(autoencoder_steps=2, hidden_dim=8, latent_dim=4, pseudo_dim=4),
    device="cpu", random_state=0,
)


def make_clf(**params):
    return PolarityGANClassifier(**{**FAST, **params})


def make_cnn(**params):
    return CNNClassifier(**{"epochs": 2, "batch_size": 16, "width": 16, "device": "cpu",
                            "random_state": 0, **params})


def end_to_end_model(digits, **params):
    """Algorithm 1's training object on the fixture, a one-layer LDAM-DRW C unless ``params``."""
    images, y = digits
    X, _, y_index = end_to_end_module.check_training_images(images, y)
    clf = make_clf()
    settings = dict(resample=True, warmup_steps=3, n_rounds=2, feature_steps=1, gan_steps=1,
                    learning_rate=1e-3, feature_betas=(0.9, 0.999), fake_weight=1.0,
                    classifier_loss="ldam-drw", classifier_head="linear")
    return end_to_end_module._EndToEnd(
        end_to_end_module.as_tensor(X, torch.device("cpu")), y_index, 3, np.array([1, 18, 24]),
        clf._build_extractor(X, 0), clf._sampler(), end_to_end_module.make_generator(0, "cpu"),
        0, **{**settings, **params})


@pytest.fixture(scope="module")
def digits():
    """Imbalanced 8x8 digit images in [0, 1] with string labels: 30, 12 and 6 images."""
    data = load_digits()
    sizes = {0: 30, 1: 12, 2: 6}
    keep = np.concatenate([np.flatnonzero(data.target == d)[:n] for d, n in sizes.items()])
    labels = np.array(["zero", "one", "two"])[data.target[keep]]
    return data.images[keep] / 16.0, labels


def cpu_only(module):
    return all(t.device.type == "cpu" for t in module.state_dict().values())


def test_fit_predict_shapes_and_attributes(digits):
    images, y = digits
    clf = make_clf().fit(images, y)
    assert list(clf.classes_) == ["one", "two", "zero"]
    proba = clf.predict_proba(images)
    assert proba.shape == (len(y), 3) and np.allclose(proba.sum(1), 1, atol=1e-5)
    assert set(clf.predict(images)) <= set(clf.classes_)
    assert clf.transform(images[:5]).shape == (5, clf.n_features_out_) == (5, 128)
    assert [h["stage"] for h in clf.history_][-2:] == ["rounds", "rounds"]
    assert {"warmup", "embed", "autoencoder"} <= {h["stage"] for h in clf.history_}
    assert {"feature_extractor", "critic", "classifier"} <= set(clf.history_[-1])
    assert isinstance(clf.model_, PolarityGAN) and clf.model_.data is None
    assert clf.model_.classifier is clf.classifier_
    assert cpu_only(clf.feature_extractor_) and cpu_only(clf.classifier_)
    assert not clf.feature_extractor_.training and clf.device_.type == "cpu"


def test_transform_is_what_the_classifier_sees(digits):
    images, y = digits
    clf = make_clf().fit(images, y)
    with torch.no_grad():
        logits = clf.classifier_(torch.from_numpy(clf.transform(images)))
    np.testing.assert_allclose(torch.softmax(logits, 1).numpy(), clf.predict_proba(images),
                               atol=1e-6)


def test_image_layouts_and_dtypes_agree(digits):
    images, y = digits
    # Cross-entropy's C: LDAM's scaled cosine logits make probabilities too sharp
    # for a pixel-rounding bound.
    clf = make_clf(classifier_loss="cross-entropy").fit(images, y)
    expected = clf.predict_proba(images)
    for same in (images[:, None], images[..., None], images.astype(np.float32)):
        np.testing.assert_allclose(clf.predict_proba(same), expected, atol=1e-6)
    as_uint8 = np.round(images * 255).astype(np.uint8)
    np.testing.assert_allclose(clf.predict_proba(as_uint8), expected, atol=5e-3)  # pixel rounding


def test_resample_false_trains_f_and_c_only(digits):
    images, y = digits
    clf = make_clf(resample=False).fit(images, y)
    assert clf.model_ is None
    assert "autoencoder" not in {h["stage"] for h in clf.history_}
    assert set(clf.history_[-1]) >= {"feature_extractor", "classifier"}
    assert "critic" not in clf.history_[-1]
    assert clf.predict(images).shape == y.shape


def test_balanced_classes_still_train(digits):
    images, y = digits
    balanced = np.concatenate([np.flatnonzero(y == c)[:6] for c in np.unique(y)])
    clf = make_clf().fit(images[balanced], y[balanced])
    assert clf.predict(images).shape == y.shape


def test_resnet18_trunk():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(16, 12, 12, 3), dtype=np.uint8)
    y = np.repeat([0, 1], [10, 6])
    clf = make_clf(feature_extractor="resnet18", weights=None, image_size=32,
                   batch_size=8).fit(images, y)
    assert clf.n_features_out_ == 512 and clf.transform(images[:4]).shape == (4, 512)
    assert clf.predict(images).shape == (16,)


def test_same_seed_same_predictions_and_global_rng_untouched(digits):
    images, y = digits
    torch_state, np_state = torch.get_rng_state(), np.random.get_state()
    first = make_clf(random_state=3).fit(images, y).predict_proba(images)
    second = make_clf(random_state=3).fit(images, y).predict_proba(images)
    np.testing.assert_array_equal(first, second)
    assert torch.equal(torch.get_rng_state(), torch_state)
    assert np.array_equal(np.random.get_state()[1], np_state[1])


def test_pickle_round_trip_and_clone(digits):
    images, y = digits
    clf = make_clf().fit(images, y)
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(again.predict_proba(images), clf.predict_proba(images))
    fresh = clone(clf)
    assert fresh.get_params() == clf.get_params() and not hasattr(fresh, "classes_")


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda X, y: (np.where(np.arange(X.size).reshape(X.shape) == 5, np.nan, X), y), "NaN"),
        (lambda X, y: (X.reshape(len(X), -1), y), "2-D"),
        (lambda X, y: (X[:, None, None], y), "5-D"),
        (lambda X, y: (X, y[:-1]), "labels"),
        (lambda X, y: (X, np.full(len(y), "a")), "two classes"),
    ],
)
@pytest.mark.parametrize("make", [make_clf, make_cnn], ids=["pgan", "cnn"])
def test_bad_input_raises(digits, change, message, make):
    X, y = change(*digits)
    before = X.copy()
    with pytest.raises(ValueError, match=message):
        make().fit(X, y)
    np.testing.assert_array_equal(X, before)


def test_continuous_labels_raise(digits):
    images, _ = digits
    for make in (make_clf, make_cnn):
        with pytest.raises(ValueError, match="continuous"):
            make().fit(images, np.linspace(0, 1, len(images)))


@pytest.mark.parametrize(
    "params, message",
    [
        (dict(sampler_params={"uncertainty": None}), "sampler_params"),
        (dict(sampler_params={"hidden_dim": 0}), "hidden_dim"),
        (dict(weights="IMAGENET1K_V1"), "ResNets only"),
        (dict(feature_extractor="resnet18", image_size=16), "32"),
        (dict(n_rounds=0), "n_rounds"),
        (dict(fake_weight="equal"), "fake_weight"),
        (dict(classifier_loss="ldam"), "classifier_loss"),
        (dict(feature_betas=(0.9, 1.0)), "feature_betas"),
        (dict(feature_betas="adam"), "feature_betas"),
        (dict(joint_feature_steps="yes"), "joint_feature_steps"),
    ],
)
def test_bad_parameters_raise(digits, params, message):
    with pytest.raises(ValueError, match=message):
        make_clf(**params).fit(*digits)


@pytest.mark.parametrize("make", [make_clf, make_cnn], ids=["pgan", "cnn"])
def test_predict_checks_channels(digits, make):
    images, y = digits
    clf = make().fit(images, y)
    with pytest.raises(ValueError, match="channel"):
        clf.predict(np.repeat(images[..., None], 3, axis=3))


@cuda
def test_cuda_fit_predicts_on_the_cpu(digits):
    images, y = digits
    clf = make_clf(device="cuda").fit(images, y)
    assert clf.device_.type == "cuda"
    assert cpu_only(clf.feature_extractor_) and cpu_only(clf.classifier_)
    assert all(cpu_only(net) for net in clf.model_.networks.values())
    on_gpu = clf.predict_proba(images)
    restored = pickle.loads(pickle.dumps(clf)).set_params(device="cpu")
    np.testing.assert_allclose(restored.predict_proba(images), on_gpu, atol=1e-4)


# ------------------------------------------------- PolarityGANClassifier(epochs=...)


@pytest.mark.parametrize("gan_start", [0.375, 0.8, 0.0])
@pytest.mark.parametrize("n_images, epochs, batch_size, n_rounds", [
    (48, 2, 16, 2), (500, 100, 64, 50), (17400, 10, 64, 10), (48, 1, 16, 5),
])
def test_epochs_give_as_many_f_updates_as_the_cnn(n_images, epochs, batch_size, n_rounds,
                                                  gan_start):
    clf = PolarityGANClassifier(epochs=epochs, batch_size=batch_size, n_rounds=n_rounds,
                                gan_start=gan_start)
    warmup, per_round = clf._feature_schedule(n_images)
    budget = epochs * -(-n_images // batch_size)
    assert per_round >= 1 and warmup >= 0
    # Exactly the budget, unless one update per round already exceeds it.
    assert warmup + n_rounds * per_round == max(budget, n_rounds)
    if budget * (1 - gan_start) >= 2 * n_rounds:
        # The warm-up (before G joins) takes the share gan_start of the budget.
        assert warmup == pytest.approx(budget * gan_start, abs=n_rounds / 2)


def test_epochs_resolve_at_fit(digits):
    images, y = digits
    clf = make_clf(epochs=3).fit(images, y)
    assert clf.warmup_steps_ + clf.n_rounds * clf.feature_steps_ == 3 * -(-len(y) // 16)
    assert len([h for h in clf.history_ if h["stage"] == "warmup"]) > 0
    unset = make_clf().fit(images, y)
    assert (unset.warmup_steps_, unset.feature_steps_) == (FAST["warmup_steps"],
                                                           FAST["feature_steps"])


def test_fake_weight_reaches_c(digits, monkeypatch):
    images, y = digits  # 30, 12 and 6 images: 18 + 24 fakes fill the gaps
    clf = make_clf(fake_weight="balanced").fit(images, y)
    assert clf.model_.fake_weight == pytest.approx(42 / 48)
    seen = []
    original = PolarityGAN.gan_step

    def spy(self, step):
        seen.append(self.fake_weight)
        return original(self, step)

    monkeypatch.setattr(PolarityGAN, "gan_step", spy)
    make_clf(fake_weight="balanced").fit(images, y)
    assert seen and seen == [pytest.approx(42 / 48)] * len(seen)
    seen.clear()
    make_clf(fake_weight=0.5).fit(images, y)
    assert seen and seen == [0.5] * len(seen)


# ------------------------------------------------------------------ CNNClassifier


@pytest.mark.parametrize("sampling", ["uniform", "class-balanced"])
@pytest.mark.parametrize("loss", LOSSES)
def test_cnn_every_loss_and_sampling_trains(digits, loss, sampling):
    images, y = digits
    clf = make_cnn(loss=loss, sampling=sampling).fit(images, y)
    proba = clf.predict_proba(images)
    assert proba.shape == (len(y), 3) and np.allclose(proba.sum(1), 1, atol=1e-5)
    assert set(clf.predict(images)) <= set(clf.classes_)
    assert clf.transform(images[:5]).shape == (5, 16) == (5, clf.n_features_out_)
    assert [h["epoch"] for h in clf.history_] == [0, 1]
    assert all(np.isfinite(h["loss"]) for h in clf.history_)
    assert clf.class_counts_.tolist() == [12, 6, 30]  # one, two, zero
    assert cpu_only(clf.model_) and not clf.model_.training


def test_cnn_class_balanced_batches_draw_classes_equally(digits, monkeypatch):
    images, y = digits
    drawn = []

    class Spy(cnn_module.WeightedRandomSampler):
        def __iter__(self):
            rows = list(super().__iter__())
            drawn.extend(rows)
            return iter(rows)

    monkeypatch.setattr(cnn_module, "WeightedRandomSampler", Spy)
    make_cnn(sampling="class-balanced", epochs=40).fit(images, y)
    assert len(drawn) == 40 * len(y)
    shares = np.unique(y[drawn], return_counts=True)[1] / len(drawn)
    np.testing.assert_allclose(shares, 1 / 3, atol=0.03)  # the data: 30, 12, 6 images


def test_cnn_ldam_reweights_from_drw_epoch(digits, monkeypatch):
    images, y = digits
    seen = []
    original = cnn_module.LDAMLoss.forward

    def spy(self, logits, target):
        seen.append(None if self.weight is None else self.weight.tolist())
        return original(self, logits, target)

    monkeypatch.setattr(cnn_module.LDAMLoss, "forward", spy)
    make_cnn(loss="ldam-drw", epochs=5).fit(images, y)  # auto: from epoch 4
    per_epoch = -(-len(y) // 16)
    assert seen[: 4 * per_epoch] == [None] * (4 * per_epoch)
    expected = cnn_module.effective_number_weights([12, 6, 30]).tolist()
    assert seen[4 * per_epoch:] == [expected] * per_epoch


def test_cnn_same_seed_same_predictions_and_global_rng_untouched(digits):
    images, y = digits
    torch_state, np_state = torch.get_rng_state(), np.random.get_state()
    first = make_cnn(sampling="class-balanced", random_state=3).fit(images, y)
    second = make_cnn(sampling="class-balanced", random_state=3).fit(images, y)
    np.testing.assert_array_equal(first.predict_proba(images), second.predict_proba(images))
    assert torch.equal(torch.get_rng_state(), torch_state)
    assert np.array_equal(np.random.get_state()[1], np_state[1])
    other = make_cnn(sampling="class-balanced", random_state=4).fit(images, y)
    assert not np.array_equal(other.predict_proba(images), first.predict_proba(images))


def test_cnn_pickle_round_trip_and_clone(digits):
    images, y = digits
    clf = make_cnn(loss="ldam-drw").fit(images, y)
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(again.predict_proba(images), clf.predict_proba(images))
    assert clone(clf).get_params() == clf.get_params()


def test_cnn_divergence_is_a_clear_error(digits):
    images, y = digits
    with pytest.raises(FloatingPointError, match="learning_rate"):
        make_cnn(learning_rate=1e30).fit(images, y)


@pytest.mark.parametrize("params, message", [
    (dict(loss="focal"), "loss"), (dict(sampling="balanced"), "sampling"),
    (dict(epochs=0), "epochs"), (dict(drw_epoch=-1), "drw_epoch"), (dict(tau=-1.0), "tau"),
    (dict(loss="ldam-drw", epochs=3, drw_epoch=3), "drw_epoch=3 is not below epochs=3"),
])
def test_cnn_bad_parameters_raise(digits, params, message):
    with pytest.raises(ValueError, match=message):
        make_cnn(**params).fit(*digits)


@cuda
def test_cnn_cuda_fit_predicts_on_the_cpu(digits):
    images, y = digits
    clf = make_cnn(device="cuda").fit(images, y)
    assert clf.device_.type == "cuda" and cpu_only(clf.model_)
    restored = pickle.loads(pickle.dumps(clf)).set_params(device="cpu")
    np.testing.assert_allclose(restored.predict_proba(images), clf.predict_proba(images),
                               atol=1e-4)


@pytest.mark.parametrize("make, module", [(make_clf, end_to_end_module), (make_cnn, cnn_module)],
                         ids=["pgan", "cnn"])
def test_out_of_memory_is_a_clear_error(digits, make, module, monkeypatch):
    def oom(*args, **kwargs):
        raise torch.OutOfMemoryError("CUDA out of memory")

    # Patched where each classifier looks small_cnn up.
    monkeypatch.setattr(module, "small_cnn", oom)
    with pytest.raises(MemoryError, match="ran out of memory on cpu: lower batch_size"):
        make().fit(*digits)


def test_logit_adjusted_c_offsets_its_loss_by_the_prior_it_learns_from(digits, monkeypatch):
    images, y = digits  # 30, 12 and 6 images: 18 + 24 fakes fill the gaps
    counts = np.bincount(np.unique(y, return_inverse=True)[1])
    prior = counts / counts.sum()
    fakes = (counts.max() - counts) / (counts.max() - counts).sum()
    seen = []
    original = end_to_end_module._EndToEnd.real_loss

    def spy(self, logits, labels):
        seen.append(self.image_offset)
        return original(self, logits, labels)

    monkeypatch.setattr(end_to_end_module._EndToEnd, "real_loss", spy)
    clf = make_clf(classifier_loss="logit-adjusted", fake_weight=0.5).fit(images, y)
    # Steps 4 and 7: C learns from images and fakes, weighed 1 : 0.5.
    np.testing.assert_allclose(clf.model_.logit_offset.numpy(),
                               np.log((prior + 0.5 * fakes) / 1.5), rtol=1e-6)
    # Warm-up and step 2: C's loss on images is offset by their class shares.
    assert seen and all(torch.allclose(o, torch.log(torch.tensor(prior, dtype=torch.float32)))
                        for o in seen)
    seen.clear()
    plain = make_clf().fit(images, y)
    assert plain.model_.logit_offset is None and seen and all(o is None for o in seen)
    # Without G (resample=False) C's own steps learn from images: the same offset.
    seen.clear()
    make_clf(classifier_loss="logit-adjusted", resample=False).fit(images, y)
    assert len(seen) > clf.warmup_steps_


@pytest.mark.parametrize("resample", [True, False])
def test_balance_stage_updates_c_alone_after_the_rounds(digits, monkeypatch, resample):
    images, y = digits
    snapshots = {}
    original = end_to_end_module._EndToEnd.balance_step

    def spy(self, step):
        if not snapshots:  # F, D and G as the rounds left them
            nets = {n: m for n, m in self.networks.items() if n != "classifier"}
            snapshots.update({n: [p.detach().clone() for p in m.parameters()]
                              for n, m in nets.items()})
            snapshots["classifier"] = [p.detach().clone() for p in self.classifier.parameters()]
        return original(self, step)

    monkeypatch.setattr(end_to_end_module._EndToEnd, "balance_step", spy)
    clf = make_clf(balance_steps=4, resample=resample).fit(images, y)
    stages = [h["stage"] for h in clf.history_]
    assert stages[-1] == "balance" and stages.index("balance") > stages.index("rounds")
    assert [h["step"] for h in clf.history_ if h["stage"] == "balance"][-1] == 4
    fitted = {"feature_extractor": clf.feature_extractor_, "classifier": clf.classifier_}
    if resample:
        fitted.update(critic=clf.model_.critic, generator=clf.model_.generator)
    for name, net in fitted.items():
        same = all(torch.equal(a, b) for a, b in zip(snapshots[name], net.parameters()))
        assert same == (name != "classifier"), name
    assert "balance" not in [h["stage"] for h in make_clf().fit(images, y).history_]


def test_ldam_drw_c_has_a_cosine_head_and_reweights_late(digits, monkeypatch):
    images, y = digits
    weighted = []
    original = end_to_end_module.LDAMLoss.forward

    def spy(self, logits, target):
        weighted.append(self.weight is not None)
        return original(self, logits, target)

    monkeypatch.setattr(end_to_end_module.LDAMLoss, "forward", spy)
    f_updates = []
    image_loss = end_to_end_module._EndToEnd.image_loss

    def count(self):
        loss = image_loss(self)
        f_updates.append(len(weighted))  # this F update's LDAM call
        return loss

    monkeypatch.setattr(end_to_end_module._EndToEnd, "image_loss", count)
    # 5 warm-up updates, then 5 rounds of 1 F update and 1 GAN step (2 C updates).
    clf = make_clf(classifier_loss="ldam-drw", n_rounds=5, warmup_steps=5).fit(images, y)
    assert isinstance(clf.classifier_.net[-1], end_to_end_module._ScaledCosine)
    assert isinstance(clf.model_.real_row_loss, end_to_end_module.LDAMLoss)
    # Warm-up, step 2 and C's real rows in steps 4 and 7: unweighted LDAM until
    # F's 9th update of 10 (four fifths), re-weighted from there on, as CNNClassifier.
    assert len(f_updates) == 10
    first_weighted = weighted.index(True)
    assert first_weighted == f_updates[8] - 1
    assert weighted == sorted(weighted)
    proba = clf.predict_proba(images)
    np.testing.assert_allclose(proba.sum(1), 1.0, rtol=1e-5)



@pytest.mark.parametrize("classifier_loss", ["cross-entropy", "ldam-drw"])
def test_linear_head_reads_f_own_features_whatever_the_standardisation(digits,
                                                                       classifier_loss):
    model = end_to_end_model(digits, classifier_loss=classifier_loss)
    raw, head = model.classifier.net  # C's one layer, behind the undoing of the standardisation
    assert model.pgan.classifier is model.classifier
    assert type(head) is (end_to_end_module._ScaledCosine if classifier_loss == "ldam-drw"
                          else torch.nn.Linear)
    for _ in range(5):  # F changes, so the features' mean and scale change too
        model.warmup_step(0)
    rows = torch.arange(len(model.y_index))
    with torch.no_grad():
        f = model.extractor(end_to_end_module.unit_float(model.images))
        before = model.classifier(model.features(rows))
        old_mean = model.mean.clone()
        model.embed()
        assert not torch.allclose(model.mean, old_mean)
        after = model.classifier(model.features(rows))
        torch.testing.assert_close(after, before, rtol=1e-4, atol=1e-4)
        torch.testing.assert_close(after, head(f), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("joint", [False, True])
def test_step2_updates_c_only_when_joint(digits, joint):
    images, y = digits
    model = end_to_end_model(digits, feature_steps=2, joint_feature_steps=joint)
    # Steps 3-12 left out, so what changes is step 2's doing.
    model.pgan.fit_latent = lambda step: None
    model.pgan.gan_step = lambda step: {}
    before = {name: [p.detach().clone() for p in net.parameters()]
              for name, net in model.networks.items()}
    model.round_step(0)
    for name, net in model.networks.items():
        moved = not all(torch.equal(a, b) for a, b in zip(before[name], net.parameters()))
        assert moved == (name == "feature_extractor" or (joint and name == "classifier")), name
    fitted = make_clf(joint_feature_steps=joint).fit(images, y)
    assert fitted.history_[-1]["stage"] == "rounds"


@pytest.mark.parametrize("small", [True, False])
def test_auto_head_follows_the_size_of_the_image_set(digits, monkeypatch, small):
    images, y = digits
    # The threshold moved around the fixture's size, so that both sides run.
    monkeypatch.setattr(end_to_end_module, "SMALL_IMAGE_SET", len(y) + (1 if small else 0))
    clf = make_clf().fit(images, y)
    assert clf.classifier_head_ == ("linear" if small else "mlp")
    head = clf.classifier_.net
    assert isinstance(head[-1], end_to_end_module._ScaledCosine)
    assert (isinstance(head[0], end_to_end_module._RawFeatures) and len(head) == 2) == small
    explicit = make_clf(classifier_head="mlp" if small else "linear").fit(images, y)
    assert explicit.classifier_head_ == ("mlp" if small else "linear")


@pytest.mark.parametrize("feature_betas", [None, (0.9, 0.999)])
def test_feature_betas_reach_f_only(digits, monkeypatch, feature_betas):
    images, y = digits
    betas = []
    adam = end_to_end_module.adam

    def spy(modules, learning_rate, betas_, **kwargs):
        betas.append((type(modules[0]).__name__, tuple(betas_)))
        return adam(modules, learning_rate, betas_, **kwargs)

    monkeypatch.setattr(end_to_end_module, "adam", spy)
    make_clf(feature_betas=feature_betas).fit(images, y)
    gan = (0.6, 0.9)  # the sampler's default betas
    # F's Adam (the warm-up's and step 2's, which lead with F) has feature_betas, by
    # default the GAN's; C's, D's and G's steps of the game always the GAN's.
    f_betas = {b for first, b in betas if first == "Sequential"}
    assert f_betas == {gan if feature_betas is None else feature_betas}
    assert {b for first, b in betas if first != "Sequential"} == {gan}
