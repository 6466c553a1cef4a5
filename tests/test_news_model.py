import json

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor

from bench.train_news import export
from summaries.news_features import FEATURES
from summaries.news_model import MODEL_FILE, Selection, TreeModel, shipped


def fitted(seed: int) -> tuple[HistGradientBoostingRegressor, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(2000, len(FEATURES)))
    x[:, 3] = rng.integers(0, 2, size=2000)  # a 0/1 feature, as many are
    y = np.sin(x[:, 0]) + x[:, 1] * x[:, 3] + 0.1 * rng.normal(size=2000)
    model = HistGradientBoostingRegressor(
        max_iter=40, max_leaf_nodes=9, min_samples_leaf=5, early_stopping=False, random_state=0
    ).fit(x, y)
    return model, rng.normal(size=(500, len(FEATURES)))


def test_numpy_predictor_matches_scikit_learn() -> None:
    model, rows = fitted(1)
    exported = export(model, Selection((0.5,), 0.2, 6))
    assert np.abs(exported.predict(rows) - model.predict(rows)).max() < 1e-9
    assert np.abs(exported.predict(rows[:1]) - model.predict(rows[:1])).max() < 1e-9


def test_exported_model_survives_json() -> None:
    model, rows = fitted(2)
    exported = export(model, Selection((0.5, 0.1, 0.1), 0.2, 6))
    again = TreeModel(json.loads(json.dumps(exported.to_json())))
    assert np.array_equal(again.predict(rows), exported.predict(rows))
    assert again.selection == Selection((0.5, 0.1, 0.1), 0.2, 6)


def test_shipped_model_loads_with_the_features_in_order() -> None:
    spec = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert tuple(spec["features"]) == FEATURES
    model = shipped()
    assert model.features == FEATURES
    scores = model.predict(np.zeros((3, len(FEATURES))))
    assert scores.shape == (3,)
    assert np.isfinite(scores).all()
