"""pgan-benchmark: the command line, its outputs, its errors and its ablation sampler."""

import functools
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification

from imblearn_pgan.suites import images as images_suite
from imblearn_pgan.suites import run_images
from imblearn_pgan.suites import methods as methods_module
from imblearn_pgan import ConvexRandomSampler
from imblearn_pgan.baselines import BAGANSampler
from imblearn_pgan.suites.methods import METHODS, gan_params
from imblearn_pgan.suites.metrics import UNCERTAINTY_COLUMNS, classification_metrics
from imblearn_pgan.suites.provenance import git_state, run_meta, write_meta
from imblearn_pgan.suites.report_images import render_markdown, render_text
from imblearn_pgan.suites.tuning import (NO_CLASS_WEIGHT, NO_PROBABILITIES,
                                         LogitAdjustedClassifier)
from imblearn_pgan.sampler import PolarityGANSampler

from .conftest import in_convex_hull, python_output

TINY = ["--methods", "none,smote,pgan,convex-random", "--classifiers", "lr", "--seeds", "1",
        "--n-iter", "5"]
SCORES = ["macro_f1", "balanced_accuracy", "g_mean"]


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory, run_cli):
    out = tmp_path_factory.mktemp("bench")
    status, stdout, stderr = run_cli([*TINY, "--out", str(out), "--quiet"])
    return status, stdout, stderr, out


def check_scores(results, n_rows):
    assert len(results) == n_rows
    assert (results["status"] == "ok").all()
    recalls = [c for c in results.columns if c.startswith("recall_")]
    values = results[SCORES + recalls].to_numpy()
    assert np.isfinite(values).all() and (values >= 0).all() and (values <= 1).all()
    assert (results["fit_s"] >= 0).all()


def test_cli_writes_results_and_figures(tiny_run):
    status, stdout, stderr, out = tiny_run
    assert status == 0, stderr
    for name in ["results.csv", "results.md", "meta.json", "macro_f1.png", "projection.png",
                 "pgan_losses.png"]:
        assert (out / name).stat().st_size > 0
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["dataset"] == "digits" and meta["train_counts"]["9"] == 6
    # Provenance, and every row's description and resolved settings as run.
    assert "commit" in meta and "dirty" in meta and meta["command"].startswith("pgan-benchmark")
    assert meta["methods"]["pgan"]["description"] == methods_module.METHODS["pgan"].description
    assert meta["methods"]["pgan"]["settings"]["autoencoder_steps"] == 5
    assert meta["methods"]["smote"]["settings"]["k_neighbors"] == 5
    assert meta["classifier_settings"]["lr"]["logisticregression__max_iter"] == 2000
    assert "macro-F1" in stdout and "pgan" in stdout
    markdown = (out / "results.md").read_text()
    assert "pgan-benchmark --methods none,smote,pgan,convex-random" in markdown
    assert "scikit-learn" in markdown and "device:" in markdown


def test_results_are_well_formed(tiny_run):
    results = pd.read_csv(tiny_run[3] / "results.csv")
    check_scores(results, 4)
    assert set(results["method"]) == {"none", "smote", "pgan", "convex-random"}
    assert results.groupby(["method", "classifier", "seed"]).size().eq(1).all()
    assert list(results.filter(like="recall_").columns) == [f"recall_{k}" for k in range(10)]
    generated = results.set_index("method")
    for method in ["smote", "pgan", "convex-random"]:
        unc = generated.loc[method, list(UNCERTAINTY_COLUMNS)].to_numpy(dtype=float)
        assert np.isfinite(unc).all() and (unc >= 0).all() and (unc <= 1).all()
        assert generated.loc[method, "n_synthetic"] > 0
    assert generated.loc["none", list(UNCERTAINTY_COLUMNS)].isna().all()
    # Where the rows lie: for every sampler; anchors only for P-GAN.
    for method in ["smote", "pgan", "convex-random"]:
        where = generated.loc[method, ["dist_other", "other_region"]].to_numpy(dtype=float)
        assert np.isfinite(where).all() and (where >= 0).all()
    assert 1 <= generated.loc["pgan", "anchors"] <= 3
    assert np.isnan(generated.loc["smote", "anchors"])


@pytest.mark.parametrize("args, fragment", [
    (["--methods", "none,foo"], "unknown method(s) 'foo'"),
    (["--classifiers", "lr,xgb"], "unknown classifier(s) 'xgb'"),
    (["--dataset", "/nonexistent/data.npz"], "data.npz"),
    (["--dataset", "no-such-dataset"], "unknown benchmark data"),
    (["--methods", "embedding+rf"], "none of the methods can run"),
    (["--seeds", "0"], "--seeds"),
    (["--features", "sift"], "--features"),
])
def test_bad_flags_exit_2_with_one_line(args, fragment, run_cli):
    status, stdout, stderr = run_cli([*args, "--quiet"])
    assert status == 2
    assert stderr.count("\n") == 1 and stderr.startswith("pgan-benchmark: error:")
    assert fragment in stderr and stdout == ""


def test_module_entry_point_reports_errors_without_traceback():
    proc = subprocess.run(
        [sys.executable, "-m", "imblearn_pgan.suites", "--methods", "bogus"],
        check=False, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()]
    assert "Traceback" not in proc.stderr and "bogus" in proc.stderr


def test_npz_dataset(tmp_path, run_cli):
    rng = np.random.default_rng(0)
    sizes = (60, 30, 12)
    X = np.concatenate([rng.normal(3 * k, 1, size=(n, 5)) for k, n in enumerate(sizes)])
    y = np.repeat(["a", "b", "c"], sizes)
    path = tmp_path / "blobs.npz"
    np.savez(path, X=X, y=y)
    status, stdout, stderr = run_cli(["--dataset", str(path), "--methods", "none,smote,ros",
                                      "--classifiers", "lr,rf", "--seeds", "2", "--quiet"])
    assert status == 0, stderr
    assert "blobs.npz" in stdout and "tabular columns" in stdout
    results = run_images(path, methods=["none", "smote"], classifiers=["lr"], seeds=1,
                            progress=False)
    check_scores(results, 2)
    assert {"recall_a", "recall_b", "recall_c"} <= set(results.columns)
    status, _, stderr = run_cli(["--dataset", str(path), "--features", "cnn"])
    assert status == 2 and stderr == "pgan-benchmark: error: features='cnn' needs image " \
        "data; 'blobs' is tabular\n"


def test_cnn_features():
    results = run_images(methods=["none", "convex-random"], classifiers=["lr"], seeds=1,
                            features="cnn", cnn_epochs=1, progress=False)
    check_scores(results, 2)
    assert "CNN" in results.attrs["meta"]["features"]


END_TO_END_ROWS = ["cnn-ce", "cnn-weighted-ce", "cnn-balanced-sampling", "cnn-logit-adjusted",
                   "cnn-balanced-softmax", "cnn-ldam-drw", "pgan-cnn", "pgan-cnn-paper"]


def test_pgan_cnn_rows_are_the_defaults_and_the_paper_schedule():
    from imblearn_pgan.images.end_to_end import PolarityGANClassifier

    context = {"cnn_epochs": 3, "device": "cpu"}
    rows = {name: methods_module.METHODS[name].image_model(0, context)
            for name in ("pgan-cnn", "pgan-cnn-paper", "pgan-cnn-ldam-drw")}
    defaults = PolarityGANClassifier().get_params()
    same_budget = dict(epochs=3, learning_rate=methods_module.CNN_LEARNING_RATE,
                       device="cpu", random_state=0)
    assert rows["pgan-cnn"].get_params() == {**defaults, **same_budget}
    paper = dict(classifier_loss="cross-entropy", classifier_head="mlp", gan_start=0.375,
                 n_rounds=50)
    assert rows["pgan-cnn-paper"].get_params() == {**defaults, **same_budget, **paper}
    assert rows["pgan-cnn-ldam-drw"].get_params() == {
        **defaults, **same_budget, **paper, "classifier_loss": "ldam-drw"}


def test_end_to_end_rows_two_epochs(monkeypatch):
    # A short GAN part for pgan-cnn; F's updates still follow cnn_epochs.
    from imblearn_pgan.images import end_to_end

    short = functools.partial(end_to_end.PolarityGANClassifier, n_rounds=4, gan_steps=2,
                              sampler_params={"autoencoder_steps": 5})
    monkeypatch.setattr(end_to_end, "PolarityGANClassifier", short)
    results = run_images(methods=[*END_TO_END_ROWS, "none", "smote"], classifiers=["lr"],
                            seeds=1, features="cnn", cnn_epochs=2, device="cpu",
                            progress=False)
    check_scores(results, len(END_TO_END_ROWS) + 2)
    rows = results.set_index("method")
    assert (rows.loc[END_TO_END_ROWS, "classifier"] == "end-to-end").all()
    assert (rows.loc[END_TO_END_ROWS, "fit_s"] > 0).all()
    # The features are the plain CNN of the cnn-ce row: same epochs and seed.
    assert "2 epoch(s)" in results.attrs["meta"]["features"]


def test_end_to_end_rows_only_when_named(tmp_path):
    defaults = [n for n, m in methods_module.METHODS.items() if m.default]
    assert not set(END_TO_END_ROWS) & set(defaults)
    rng = np.random.default_rng(0)
    path = tmp_path / "table.npz"
    np.savez(path, X=rng.normal(size=(60, 3)), y=np.repeat([0, 1], [45, 15]))
    results = run_images(path, methods=["none", "cnn-ce"], classifiers=["lr"], seeds=1,
                            progress=False)
    assert results.attrs["meta"]["unavailable"] == {"cnn-ce": "needs image data"}


def test_cnn_row_and_cnn_features_are_the_same_network():
    from imblearn_pgan.suites.features import extract_features
    from imblearn_pgan import CNNClassifier
    from imblearn_pgan.datasets import load_default_benchmark_data

    data = load_default_benchmark_data(random_state=0)
    _, F_test, _ = extract_features(data, "cnn", cnn_epochs=1, device="cpu", random_state=0)
    row = methods_module.METHODS["cnn-ce"].image_model(
        0, {"cnn_epochs": 1, "device": "cpu"})
    assert isinstance(row, CNNClassifier) and row.learning_rate == 1e-3
    row.fit(data.images_train, data.y_train)
    np.testing.assert_array_equal(row.transform(data.images_test), F_test.astype(np.float32))


def test_a_failing_method_is_recorded_and_the_others_run(monkeypatch):
    def broken(seed, context):
        raise RuntimeError("boom")

    ros = methods_module.METHODS["ros"]
    monkeypatch.setitem(methods_module.METHODS, "ros",
                        methods_module.Method("ros", ros.description, broken))
    results = run_images(methods=["none", "ros"], classifiers=["lr"], seeds=1,
                            progress=False)
    assert results.set_index("method").loc["ros", "status"] == "failed: RuntimeError: boom"
    check_scores(results[results["method"] == "none"], 1)
    # The failed row stays in the table, pointing to the error below it.
    text = render_text(results)
    assert [line.split()[:4] for line in text.splitlines() if line.startswith("ros ")] == [
        ["ros", "lr", "0/1", "failed"]]
    assert text.count("failed (see below)") == 1
    assert "failed: ros (seed 0): failed: RuntimeError: boom" in text
    markdown = render_markdown(results)
    assert "| ros | lr | 0/1 | failed (see below) |" in markdown
    assert "## Not run or failed" in markdown


def test_resnet_rows(monkeypatch):
    end_to_end = pytest.importorskip("imblearn_pgan.images.end_to_end")
    # The row builds the PolarityGANClassifier of its module; a short schedule here.
    short = functools.partial(end_to_end.PolarityGANClassifier, n_rounds=1, warmup_steps=2,
                              feature_steps=1, gan_steps=1, batch_size=16)
    monkeypatch.setattr(end_to_end, "PolarityGANClassifier", short)
    results = run_images(methods=["none", "embedding+rf", "resnet50"], classifiers=["lr"],
                            seeds=1, features="resnet", resnet_arch="resnet18",
                            resnet_image_size=32, device="cpu", progress=False)
    check_scores(results, 3)
    assert results["classifier"].tolist() == ["lr", "rf", "end-to-end"]
    assert "random init" in results.attrs["meta"]["features"]


def test_convex_random_stays_in_class_hull_and_is_seeded():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(75, 6)).astype(np.float32)
    y = np.repeat([0, 1, 2], [50, 20, 5]).astype(np.int32)
    X_res, y_res = ConvexRandomSampler(random_state=0).fit_resample(X, y)
    assert X_res.dtype == np.float32 and y_res.dtype == np.int32
    assert np.bincount(y_res).tolist() == [50, 50, 50]
    np.testing.assert_array_equal(X_res[:75], X)
    new_X, new_y = X_res[75:], y_res[75:]
    for k in (1, 2):
        assert in_convex_hull(new_X[new_y == k].astype(float), X[y == k].astype(float)).all()
    assert not in_convex_hull(X[y == 0][:5].astype(float), X[y == 2].astype(float)).any()
    again, _ = ConvexRandomSampler(random_state=0).fit_resample(X, y)
    other, _ = ConvexRandomSampler(random_state=1).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, again)
    assert not np.array_equal(X_res, other)


def test_gan_params_per_dataset_and_override():
    # P-GAN sizes its own schedule ("auto"); the baselines take the digits settings.
    assert gan_params(PolarityGANSampler, "digits") == {}
    assert gan_params(BAGANSampler, "digits") == {
        "n_iter": 200, "autoencoder_steps": 100}
    assert gan_params(PolarityGANSampler, "fashion-mnist") == {}
    assert gan_params(PolarityGANSampler, "digits", n_iter=10) == {
        "n_iter": 10, "autoencoder_steps": 10}
    bagan = BAGANSampler().get_params()
    ratio = bagan["autoencoder_steps"] / bagan["n_iter"]
    assert gan_params(BAGANSampler, "digits", n_iter=10) == {
        "n_iter": 10, "autoencoder_steps": round(10 * ratio)}
    assert gan_params(ConvexRandomSampler, "digits", None) == {}


def test_pgan_param_reaches_every_pgan_row_but_not_the_row_s_own_setting(tmp_path, run_cli):
    status, stdout, stderr = run_cli([
        "--methods", "smote,pgan,pgan-raw", "--classifiers", "lr", "--seeds", "1",
        "--n-iter", "3", "--pgan-param", "n_anchors=2", "--pgan-param", "uncertainty='margin'",
        "--out", str(tmp_path), "--quiet"])
    assert status == 0, stderr
    text = (tmp_path / "results.md").read_text()
    assert "- pgan: PolarityGANSampler (entropy uncertainty sampling); run with n_iter=3" in text
    assert "n_anchors=2" in text
    status, _, stderr = run_cli(["--pgan-param", "n_anchors", "--quiet"])
    assert status == 2 and "NAME=VALUE" in stderr
    for bad, fragment in (("n_anchor=2", "no parameter or gan_params setting ['n_anchor']"),
                          ("n_anchors=0", "n_anchors")):
        for suite in ([], ["--suite", "keel"]):
            status, stdout, stderr = run_cli([*suite, "--pgan-param", bad, "--quiet"])
            assert status == 2 and stderr.count("\n") == 1 and fragment in stderr, stderr


def test_results_md_says_what_ran(tiny_run):
    _, stdout, _, out = tiny_run
    text = (out / "results.md").read_text()
    assert "- pgan: PolarityGANSampler (entropy uncertainty sampling); run with n_iter=5" in text
    assert "with its defaults" not in text
    # Only lr ran: no line about the paper's SMOTE-SVM (an SVC) rows.
    assert "SMOTE-SVM baseline" not in text and "SMOTE-SVM baseline" not in stdout


def test_help_is_quick_and_explains_methods_and_profiles():
    out = python_output("import sys; from imblearn_pgan.suites.cli import build_parser; "
                        "text = build_parser().format_help(); print(sorted(m for m in "
                        "('torch', 'torchvision') if m in sys.modules)); print(text)")
    assert out.splitlines()[0] == "[]"  # torch (seconds to import) is not needed for --help
    for words in ("convex-random", "embedding+rf", "resnet50", "exponential decay", "--suite"):
        assert words in out


def test_npz_test_set_is_described_by_its_class_counts(tmp_path, run_cli):
    rng = np.random.default_rng(0)
    train, test = (60, 30, 12), (30, 9, 5)
    arrays = {}
    for prefix, sizes in (("", train), ("_test", test)):
        arrays["X" + prefix] = np.concatenate([rng.normal(3 * k, 1, size=(n, 4))
                                               for k, n in enumerate(sizes)])
        arrays["y" + prefix] = np.repeat(["a", "b", "c"], sizes)
    path = tmp_path / "uneven.npz"
    np.savez(path, **arrays)
    args = ["--dataset", str(path), "--methods", "none", "--classifiers", "lr", "--seeds", "1",
            "--quiet"]
    status, stdout, stderr = run_cli(args)
    assert status == 0 and stderr == ""  # no --profile given, nothing to warn about
    assert "test set of 44 rows, not balanced: a:30, b:9, c:5" in stdout
    assert "balanced test set" not in stdout
    # A test set in equal numbers per class is balanced, and called so.
    keep = np.concatenate([np.flatnonzero(arrays["y_test"] == c)[:5] for c in "abc"])
    np.savez(path, X=arrays["X"], y=arrays["y"], X_test=arrays["X_test"][keep],
             y_test=arrays["y_test"][keep])
    status, stdout, _ = run_cli(args)
    assert status == 0 and "balanced test set of 15 rows" in stdout


def test_profile_with_an_npz_file_warns_that_the_file_s_counts_are_used(tmp_path, run_cli):
    rng = np.random.default_rng(0)
    path = tmp_path / "table.npz"
    np.savez(path, X=rng.normal(size=(60, 3)), y=np.repeat([0, 1], [45, 15]))
    status, stdout, stderr = run_cli(["--dataset", str(path), "--profile", "exp", "--methods",
                                      "none", "--classifiers", "lr", "--seeds", "1",
                                      "--quiet"])
    assert status == 0 and "profile as stored (.npz)" in " ".join(stdout.split())
    assert stderr == ("pgan-benchmark: warning: --profile exp is not used with an .npz file: "
                      "its own class counts are used\n")


def test_gan_settings_say_where_the_steps_come_from():
    # P-GAN's "auto" schedule (200 + 200 steps on digits) is printed as resolved,
    # not the baselines' digits settings (autoencoder_steps=100); small networks here.
    results = run_images(methods=["pgan"], classifiers=["lr"], seeds=1, progress=False,
                            pgan_params={"hidden_dim": 8, "latent_dim": 2, "pseudo_dim": 4,
                                         "batch_size": 16})
    # The printed report wraps its long lines: joined, the line is whole.
    text = render_text(results).replace("\n    ", " ")
    line = next(line for line in text.splitlines() if line.startswith("GAN settings"))
    assert line == ('GAN settings as run (P-GAN\'s "auto" schedule resolved for this data; GANs '
                    "with fixed defaults shortened to the digits settings n_iter=200, "
                    "autoencoder_steps=100): pgan: n_iter=200, autoencoder_steps=200, "
                    "batch_size=16, n_anchors=3, selection=weighted")


def test_only_the_named_unavailable_methods_are_mentioned(monkeypatch):
    # embedding+rf is a default row that pixel features cannot have.
    registry = {name: methods_module.METHODS[name] for name in ("none", "embedding+rf")}
    monkeypatch.setattr(images_suite, "METHODS", registry)
    results = run_images(classifiers=["lr"], seeds=1, progress=False)
    assert results.attrs["meta"]["unavailable"] == {}
    assert "unavailable" not in render_text(results) + render_markdown(results)
    results = run_images(methods=["none", "embedding+rf"], classifiers=["lr"], seeds=1,
                            progress=False)
    reason = "needs image data and --features pretrained or resnet"
    assert f"unavailable: embedding+rf: {reason}" in render_text(results)


def test_methods_are_described_as_the_run_recorded_them():
    results = run_images(methods=["none", "smote"], classifiers=["lr"], seeds=1,
                            progress=False)
    meta = results.attrs["meta"]
    meta["methods"]["smote"]["description"] = "SMOTE as it was then"
    assert "- smote: SMOTE as it was then\n" in render_markdown(results)
    assert "- smote: SMOTE as it was then" in render_text(results)


def test_run_meta_records_command_commit_versions_and_machine(tmp_path):
    started = time.time() - 2.0
    meta = run_meta(started, {"seeds": [0, 1]}, argv=["pgan-benchmark", "--out", "a dir"],
                    device="cpu")
    for key in ("command", "commit", "dirty", "started_at", "wall_s", "versions", "cpu",
                "cpu_count", "cpus_usable", "torch_threads", "kernels", "platform", "device"):
        assert key in meta, key
    assert meta["kernels"]["aten_capability"] == torch.backends.cpu.get_cpu_capability()
    assert meta["command"] == "pgan-benchmark --out 'a dir'"
    assert run_meta(started, command="as typed")["command"] == "as typed"
    assert meta["seeds"] == [0, 1] and meta["wall_s"] >= 2.0
    assert set(meta["versions"]) >= {"python", "numpy", "scikit-learn", "imbalanced-learn",
                                     "torch", "imblearn_pgan"}
    # This test runs from the project's checkout, or from an installed copy without one.
    assert (meta["commit"] is None) == (meta["dirty"] is None)
    assert meta["dirty"] is None or isinstance(meta["dirty"], bool)
    assert meta["cpu_count"] >= meta["cpus_usable"] >= 1 and meta["device"].startswith("cpu (")
    with pytest.raises(ValueError, match="provenance keys"):
        run_meta(started, {"commit": "mine"})
    path = write_meta(tmp_path / "run", meta)
    assert json.loads(path.read_text(encoding="utf-8")) == meta


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_state_of_a_checkout_an_untracked_folder_and_no_checkout(tmp_path):
    assert git_state(tmp_path) == (None, None)
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    (tmp_path / "code.py").write_text("x = 1\n")
    subprocess.run([*git, "add", "code.py"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "code"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True,
                          text=True).stdout.strip()
    assert git_state(tmp_path) == (head, False)
    # Outputs of earlier runs are not code: the tree is still the commit's.
    (tmp_path / "benchmarks" / "results" / "run").mkdir(parents=True)
    (tmp_path / "benchmarks" / "results" / "run" / "meta.json").write_text("{}")
    assert git_state(tmp_path) == (head, False)
    (tmp_path / "code.py").write_text("x = 2\n")
    assert git_state(tmp_path) == (head, True)
    # A package installed inside an unrelated checkout is not that checkout's code.
    (tmp_path / "venv").mkdir()
    (tmp_path / "venv" / "module.py").write_text("")
    assert git_state(tmp_path / "venv") == (None, None)


def test_convex_local_mixes_a_row_with_its_nearest_rows():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = np.repeat([0, 1], [45, 15])
    sampler = ConvexRandomSampler(n_neighbors=4, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res[:60], X)
    rows = X[y == 1]
    near = np.argsort(((rows[:, None] - rows[None]) ** 2).sum(-1), axis=1)[:, 1:5]
    picks, weights = sampler._picks(rows, np.full(200, 3), np.random.RandomState(0))
    np.testing.assert_allclose([w.sum() for w in weights], 1.0)
    for pick in picks:
        assert len(set(pick)) == 3 and set(pick[1:]) <= set(near[pick[0]])
    # A class of one row mixes that row alone; k above the class size is capped.
    picks, _ = sampler._picks(rows[:1], [3, 2], np.random.RandomState(0))
    assert [p.tolist() for p in picks] == [[0], [0]]
    picks, _ = sampler._picks(rows[:2], [3, 3], np.random.RandomState(0))
    assert all(len(p) == 2 for p in picks)


def _fitted_row(name):
    """A P-GAN ablation row of the registry, fitted on a small two-class problem."""
    X, y = make_classification(120, n_features=4, weights=[0.8], random_state=0)
    context = {"dataset": "x", "n_iter": 5, "device": "cpu", "pgan_params": None}
    sampler = METHODS[name].sampler(0, context)
    X_res, _ = sampler.fit_resample(X, y)
    return sampler, X_res, y


def test_pgan_dirichlet_row_weights_its_points_by_draws_not_by_g():
    from imblearn_pgan._core import make_generator

    sampler, X_res, y = _fitted_row("pgan-dirichlet")
    model = sampler.model_
    assert model.generator_weights is False and len(X_res) == 2 * (y == 0).sum()
    labels = torch.ones(40, dtype=torch.long)
    _, original = model.generate(1, 40, make_generator(5, "cpu"))
    support, w = model.draw_support(labels, make_generator(5, "cpu"), model.n_anchors)
    w = w.double() / w.double().sum(1, keepdim=True)
    expected = np.einsum("bm,bmd->bd", w.numpy(), model.anchors_original[support.numpy()])
    np.testing.assert_allclose(original, expected)
    # The default row's points take G's weights: not these draws.
    model.generator_weights = True
    _, learnt = model.generate(1, 40, make_generator(5, "cpu"))
    assert not np.allclose(learnt, expected)


def test_critic_filter_row_keeps_the_candidates_d_scores_best():
    from imblearn_pgan._core import make_generator

    sampler, _, _ = _fitted_row("pgan-critic-filter")
    model = sampler.model_
    assert model.critic_share == 0.5 and model.generator_weights is True
    Z, original, _ = sampler._candidates(model, 1, 10, make_generator(3, "cpu"))
    pool, pool_original, _ = model.generate(1, 20, make_generator(3, "cpu"), with_anchors=True)
    scores = model.critic_scores(pool, 1)
    best = torch.argsort(-scores, stable=True)[:10]
    assert torch.equal(Z, pool[best])
    np.testing.assert_array_equal(original, pool_original[best.numpy()])
    dropped = torch.argsort(-scores, stable=True)[10:]
    assert model.critic_scores(Z, 1).min() >= scores[dropped].max()
    # The default model draws no larger pool.
    assert _fitted_row("pgan")[0].model_.critic_share == 0.0


def test_half_dirichlet_row_blends_g_weights_with_the_latent_draw():
    from imblearn_pgan._core import make_generator

    sampler, _, _ = _fitted_row("pgan-half-dirichlet")
    model = sampler.model_
    assert model.dirichlet_share == 0.5 and model.generator_weights is True
    labels = torch.ones(30, dtype=torch.long)
    support, mix = model.draw_support(labels, make_generator(2, "cpu"), model.n_anchors)
    _, learnt = model.mix_weights(labels, make_generator(2, "cpu"))
    same, half = model.mix_weights(labels, make_generator(2, "cpu"), 0.5)
    assert torch.equal(same, support)
    torch.testing.assert_close(half, 0.5 * learnt + 0.5 * mix)



def test_scaling_script_repeats_each_method_interleaved(tmp_path):
    # benchmarks/scaling.py, small: SMOTE and no resampling, two fresh-process repeats.
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "scaling.py"
    out = subprocess.run(
        [sys.executable, str(script), "--profile", "binary", "--rows", "3000", "--features", "4",
         "--methods", "smote", "none", "--repeats", "2", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    rows = pd.read_csv(tmp_path / "binary.csv")
    assert rows["method"].tolist() == ["smote", "none", "smote", "none"]
    assert rows["repeat"].tolist() == [0, 0, 1, 1] and (rows["status"] == "ok").all()
    assert rows["n_threads"].isna().all()  # blank: the sampler's default
    n_out = dict(zip(rows["method"], rows["n_out"]))
    assert n_out["none"] == 3000 and n_out["smote"] > 3000
    assert rows.groupby("method")["n_out"].nunique().eq(1).all()


def test_end_to_end_time_script_splits_the_fit_into_its_parts(tmp_path):
    # benchmarks/end_to_end_time.py, small: digits, one epoch.
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "end_to_end_time.py"
    out = subprocess.run([sys.executable, str(script), "--dataset", "digits", "--epochs", "1",
                          "--paper", "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads((tmp_path / "times.json").read_text())
    assert result["settings"] == {"classifier_loss": "cross-entropy", "classifier_head": "mlp",
                                  "gan_start": 0.375}
    parts, calls = result["parts_s"], result["calls"]
    assert calls["rounds"] == 50 and calls["rounds: GAN steps (C, D and G)"] == 500
    assert calls["rounds: embedding all images"] == 50
    inside = sum(v for k, v in parts.items() if k.startswith("rounds: "))
    assert inside == pytest.approx(parts["rounds"], abs=0.01)
    assert 0 < parts["rounds"] < result["pgan_cnn_fit_s"] and result["ldam_drw_fit_s"] > 0
    assert "commit" in json.loads((tmp_path / "meta.json").read_text())


def test_end_to_end_goals_script_compares_each_pgan_row_with_ldam_drw(tmp_path):
    # benchmarks/end_to_end_goals.py on a made-up run: 3 seeds, two P-GAN rows.
    run = tmp_path / "run"
    run.mkdir()
    scores = {"cnn-ldam-drw": [0.90, 0.80, 0.85], "pgan-cnn": [0.91, 0.80, 0.845],
              "pgan-cnn-paper": [0.95, 0.70, 0.70], "smote": [0.99, 0.99, 0.99]}
    fit = {"cnn-ldam-drw": 10.0, "pgan-cnn": 19.0, "pgan-cnn-paper": 41.0, "smote": 0.1}
    pd.DataFrame([{"method": m, "seed": s, "macro_f1": v, "fit_s": fit[m]}
                  for m, values in scores.items() for s, v in enumerate(values)]
                 ).to_csv(run / "results.csv", index=False)
    (run / "meta.json").write_text(json.dumps({"commit": "abc", "dataset": "digits",
                                               "profile": "exp"}))
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "end_to_end_goals.py"
    out = subprocess.run([sys.executable, str(script), str(run), "--out", str(tmp_path / "o")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    lines = (tmp_path / "o" / "goals.md").read_text().splitlines()
    # pgan-cnn: mean above LDAM-DRW's, at or above on seeds 0 and 1 (the tie drops out of
    # the paired test), 1.9 times the time.
    assert lines[2] == ("| run | digits, exp | pgan-cnn | 0.852 | 0.850 | 2 of 3 | 1 | met "
                        "| 1.90 | met |")
    assert lines[3] == ("| run | digits, exp | pgan-cnn-paper | 0.783 | 0.850 | 1 of 3 | 0.5 "
                        "| missed | 4.10 | missed |")
    assert len(lines) == 4  # smote is not an end-to-end P-GAN row
    meta = json.loads((tmp_path / "o" / "meta.json").read_text())
    assert meta["runs"] == {str(run): "abc"} and "commit" in meta


def test_default_pixels_run_never_imports_torchvision():
    # A torchvision that does not match torch must not stop the default run.
    out = python_output(
        "import sys\nfrom imblearn_pgan.suites import main\n"
        "status = main(['--seeds', '1', '--n-iter', '2', '--classifiers', 'lr', '--quiet'])\n"
        "assert status == 0, status\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'torchvision'))\n")
    assert out.strip().splitlines()[-1] == "[]"


def test_convex_random_takes_categorical_and_discrete_columns():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=60), "n": rng.integers(0, 5, 60),
                          "s": rng.choice(["u", "v", "w"], 60)})
    y = np.r_[np.zeros(50, int), np.ones(10, int)]
    with pytest.raises(ValueError, match=r"non-numeric columns \['s'\].*categorical_features"):
        ConvexRandomSampler().fit_resample(frame, y)
    for neighbours in (None, 3):
        sampler = ConvexRandomSampler(categorical_features="auto", discrete_features="auto",
                                      n_neighbors=neighbours, random_state=0)
        X_res, y_res = sampler.fit_resample(frame, y)
        pd.testing.assert_frame_equal(X_res.iloc[:60], frame)
        new = X_res.iloc[60:]
        assert len(new) == 40 and (y_res[60:] == 1).all()
        assert list(X_res.dtypes) == list(frame.dtypes)
        # Categories and counts of the minority's own rows; x inside its range.
        assert set(new["s"]) <= set(frame["s"][y == 1])
        assert set(new["n"]) <= set(frame["n"][y == 1])
        assert new["x"].between(frame["x"][y == 1].min(), frame["x"][y == 1].max()).all()
        again, _ = sampler.fit_resample(frame, y)
        pd.testing.assert_frame_equal(X_res, again)


def test_resume_loads_the_saved_seeds_but_the_first(tmp_path):
    kwargs = dict(methods=["none", "smote"], classifiers=["lr"], seeds=2, progress=False,
                  out=tmp_path)
    first = run_images(**kwargs)
    assert sorted(p.name for p in (tmp_path / "images_seeds").glob("*.csv")) == [
        "seed0.csv", "seed1.csv"]
    again = run_images(resume=True, **kwargs)
    assert again.attrs["meta"]["resumed"] == ["seed1"]
    assert "seed1 loaded from an earlier" in render_text(again)
    columns = ["method", "classifier", "seed", "macro_f1", "g_mean"]
    pd.testing.assert_frame_equal(again[columns], first[columns])
    with pytest.raises(ValueError, match="other settings"):
        run_images(resume=True, **{**kwargs, "classifiers": ["svc"]})


def test_tuned_rows_of_the_images_suite():
    # Multi-class: the threshold rows tune a logit adjustment; kNN has no class_weight,
    # the SVC no probabilities: empty cells, said in the report.
    results = run_images(methods=["none", "class-weight", "none-threshold", "pgan-threshold"],
                         classifiers=["lr", "svc", "knn"], seeds=1, n_iter=3, progress=False)
    status = results.set_index(["method", "classifier"])["status"]
    assert status["class-weight", "knn"] == NO_CLASS_WEIGHT
    assert status["none-threshold", "svc"] == status["pgan-threshold", "svc"] == NO_PROBABILITIES
    ok = results[results["status"] == "ok"].set_index(["method", "classifier"])
    assert ok.loc[("pgan-threshold", "lr"), "n_synthetic"] > 0
    assert ok.loc[("none-threshold", "lr"), "n_synthetic"] == 0
    assert np.isnan(ok.loc[("none", "svc"), "brier"]) and ok.loc[("none", "lr"), "brier"] > 0
    text = render_text(results)
    assert "class-weight with knn (seed 0): empty: the classifier has no class_weight" in text
    assert "failed:" not in text


def test_images_threshold_row_shares_the_sampler_fits(monkeypatch):
    # The second classifier reads the sampler's 6 fits (5 inner folds, the final fit)
    # from the seed's cache, and scores as it does when fitted alone.
    from imblearn_pgan import PolarityGANSampler

    calls = []
    fit_resample = PolarityGANSampler.fit_resample
    monkeypatch.setattr(PolarityGANSampler, "fit_resample",
                        lambda self, X, y, **kw: calls.append(len(y)) or
                        fit_resample(self, X, y, **kw))
    kwargs = dict(methods=["pgan-threshold"], seeds=1, n_iter=3, progress=False)
    both = run_images(classifiers=["knn", "lr"], **kwargs).set_index("classifier")
    assert len(calls) == 6
    alone = run_images(classifiers=["lr"], **kwargs).set_index("classifier")
    assert len(calls) == 12
    assert both.loc["lr", "macro_f1"] == alone.loc["lr", "macro_f1"]


def test_multiclass_brier_and_logit_adjustment_by_hand():
    scores = classification_metrics([0, 1, 2], [0, 1, 1], [0, 1, 2],
                                     proba=np.array([[1, 0, 0], [0.5, 0.5, 0], [0, 1, 0]]))
    assert scores["brier"] == pytest.approx((0 + 0.5 + 2) / 3)
    # A prior of 0.9 / 0.1 and a classifier that says 0.6 / 0.4: tau = 1 turns it around.
    X = np.zeros((100, 1))
    y = np.r_[np.zeros(90, int), np.ones(10, int)]

    class Fixed(ClassifierMixin, BaseEstimator):
        def fit(self, X, y):
            self.classes_ = np.unique(y)
            return self

        def predict_proba(self, X):
            return np.tile([0.6, 0.4], (len(X), 1))

    model = LogitAdjustedClassifier(Fixed(), taus=(0, 1)).fit(X, y)
    assert model.tau_ in (0, 1)
    model.tau_ = 1
    assert (model.predict(X[:2]) == 1).all()
    np.testing.assert_allclose(model.predict_proba(X[:1]).sum(), 1.0)
