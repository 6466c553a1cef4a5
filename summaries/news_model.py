"""The news default's learned model: gradient-boosted trees as plain arrays, scored by numpy.

bench/train_news.py fits the trees with scikit-learn and writes news_model.json; here they are
read once and evaluated for all trees and rows at a time (one step per tree level), so the
package needs neither scikit-learn nor LightGBM at run time.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

MODEL_FILE = Path(__file__).with_name("news_model.json")
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Selection:
    """How the three sentences are chosen from the model's scores (chosen by cross-validation).

    lead_bonus is added to the first sentences' scores, redundancy is subtracted per shared
    share of content stems between two picks, and sets are drawn from the `candidates` best.
    """

    lead_bonus: tuple[float, ...] = ()
    redundancy: float = 0.0
    candidates: int = 5


class TreeModel:
    """A sum of regression trees: baseline + the leaf value each tree reaches for a row.

    Nodes of every tree sit in flat arrays; a leaf's children are itself, so `depth` steps
    take every row to its leaf in every tree at once.
    """

    def __init__(self, spec: Mapping[str, Any]) -> None:
        """Build from the JSON form (see to_json)."""
        self.features: tuple[str, ...] = tuple(spec["features"])
        self.baseline = float(spec["baseline"])
        self.depth = int(spec["depth"])
        self.roots = np.asarray(spec["roots"], dtype=np.intp)
        self.feature = np.asarray(spec["feature"], dtype=np.intp)
        self.threshold = np.asarray(spec["threshold"], dtype=np.float64)
        self.left = np.asarray(spec["left"], dtype=np.intp)
        self.right = np.asarray(spec["right"], dtype=np.intp)
        self.value = np.asarray(spec["value"], dtype=np.float64)
        self._children = np.concatenate([self.left, self.right])
        self._right_offset = self.left.size
        selection = spec.get("selection", {})
        self.selection = Selection(
            tuple(selection.get("lead_bonus", ())),
            float(selection.get("redundancy", 0.0)),
            int(selection.get("candidates", 5)),
        )

    def predict(self, rows: Sequence[Sequence[float]] | Floats) -> Floats:
        """One raw score per row (the regression output)."""
        x = np.asarray(rows, dtype=np.float64).reshape(-1, len(self.features))
        flat, offsets = x.ravel(), (np.arange(x.shape[0]) * x.shape[1])[:, None]
        node = np.tile(self.roots, (x.shape[0], 1))  # rows x trees
        for _ in range(self.depth):  # right children sit len(nodes) after the left ones
            go_right = flat[offsets + self.feature[node]] > self.threshold[node]
            node = self._children[node + self._right_offset * go_right]
        scores: Floats = self.baseline + self.value[node].sum(axis=1)
        return scores

    def to_json(self) -> dict[str, Any]:
        """The JSON form: plain lists, and the selection settings."""
        return {
            "features": list(self.features),
            "baseline": self.baseline,
            "depth": self.depth,
            "roots": self.roots.tolist(),
            "feature": self.feature.tolist(),
            "threshold": self.threshold.tolist(),
            "left": self.left.tolist(),
            "right": self.right.tolist(),
            "value": self.value.tolist(),
            "selection": {
                "lead_bonus": list(self.selection.lead_bonus),
                "redundancy": self.selection.redundancy,
                "candidates": self.selection.candidates,
            },
        }


@cache
def shipped() -> TreeModel:
    """The model in news_model.json, read once."""
    return TreeModel(json.loads(MODEL_FILE.read_text(encoding="utf-8")))
