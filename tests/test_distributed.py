"""Grid search over samplers through joblib's engines: loky processes and a Dask cluster."""

import cloudpickle
import joblib
import numpy as np
import pytest
import torch
from imblearn.over_sampling import SMOTE, SVMSMOTE
from imblearn.pipeline import Pipeline
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV


from .conftest import FAST, cuda, make_pgan


@pytest.fixture
def data():
    """Three classes of about 280, 80 and 40 rows: every sampler works on each fold."""
    return make_classification(n_samples=400, n_features=6, n_informative=4, n_classes=3,
                               weights=[0.7, 0.2, 0.1], n_clusters_per_class=1, random_state=0)


def make_search(n_jobs=None):
    pipe = Pipeline([("sampler", SMOTE()), ("clf", LogisticRegression(max_iter=500))])
    samplers = [SMOTE(random_state=0), SVMSMOTE(random_state=0),
                make_pgan(random_state=0, **FAST)]
    return GridSearchCV(pipe, {"sampler": samplers}, cv=2, scoring="f1_macro",
                        n_jobs=n_jobs, error_score="raise")


def check_search(search, X, y):
    scores = search.cv_results_["mean_test_score"]
    assert len(scores) == 3 and np.isfinite(scores).all()
    assert search.best_estimator_.predict(X).shape == y.shape


@pytest.fixture(scope="module")
def serial_scores():
    """Scores of the same search in this process: what every engine must reproduce."""
    X, y = make_classification(n_samples=400, n_features=6, n_informative=4, n_classes=3,
                               weights=[0.7, 0.2, 0.1], n_clusters_per_class=1, random_state=0)
    return make_search().fit(X, y).cv_results_["mean_test_score"]


def test_grid_search_with_loky_processes(data, serial_scores):
    X, y = data
    search = make_search(n_jobs=2).fit(X, y)
    check_search(search, X, y)
    # Each worker trains with n_threads=1 whatever its own thread setting: same scores.
    np.testing.assert_array_equal(search.cv_results_["mean_test_score"], serial_scores)


def test_grid_search_on_a_dask_cluster(data, serial_scores):
    distributed = pytest.importorskip("distributed")
    X, y = data
    # Threaded workers: worker processes would import torch for 20 s on 2 busy cores,
    # and the loky test and the pickle test below already cover crossing processes.
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                 dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
        distributed.get_task_stream(client) as tasks,
        joblib.parallel_backend("dask"),
    ):
        search = make_search().fit(X, y)
    assert tasks.data, "no task ran on the cluster"
    check_search(search, X, y)
    np.testing.assert_array_equal(search.cv_results_["mean_test_score"], serial_scores)


def device_types(sampler):
    """Devices of every tensor and generator held by the sampler and its model."""
    found = set()
    for obj in [*vars(sampler).values(), *vars(sampler.model_).values()]:
        if isinstance(obj, torch.nn.Module):
            found |= {t.device.type for t in [*obj.parameters(), *obj.buffers()]}
        elif isinstance(obj, (torch.Tensor, torch.Generator)):
            found.add(obj.device.type)
    return found


@pytest.mark.parametrize("device", ["cpu", pytest.param("cuda", marks=[cuda, pytest.mark.cuda])])
def test_fitted_sampler_travels_without_device_tensors(imbalanced, device):
    X, y = imbalanced
    sampler = make_pgan(random_state=0, **{**FAST, "device": device})
    sampler.fit_resample(X, y)
    again = cloudpickle.loads(cloudpickle.dumps(sampler))
    assert device_types(again) == {"cpu"}
    np.testing.assert_array_equal(again.sample(5, class_label=2, random_state=0),
                                  sampler.sample(5, class_label=2, random_state=0))
