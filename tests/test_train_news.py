import json
from pathlib import Path

import numpy as np
from rouge_score import rouge_scorer
from rouge_score.tokenizers import DefaultTokenizer

from bench.train_news import FOLDS, Rouge, assign_folds, best_set, grams, oracle, parse, rouge12
from summaries.news import choose
from summaries.news_features import SentenceView
from summaries.news_model import Selection
from summaries.summarize import prepare

EVAL = Path(__file__).parents[2] / "shared" / "eval"


def first_items(name: str, count: int) -> list[dict[str, str]]:
    with (EVAL / name).open(encoding="utf-8") as lines:
        return [json.loads(line) for _, line in zip(range(count), lines, strict=False)]


def test_cached_rouge_equals_rouge_score() -> None:
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    rouge = Rouge()
    for item in first_items("train_mixed.jsonl", 3) + first_items("dev.jsonl", 3):
        story = parse((item, "cnn-train"))
        document, _ = prepare(item["text"], "", "english")
        for chosen in ([0, 1, 2], [1, 4, 6], [3]):
            summary = "\n".join(str(document.sentences[i]) for i in chosen)
            expected = scorer.score(item["reference"], summary)
            found = rouge(story, chosen)
            for key, value in zip(("rouge1", "rouge2", "rougeLsum"), found, strict=True):
                assert abs(100 * expected[key].fmeasure - value) < 1e-9


def test_exhaustive_labels_are_at_least_as_good_as_greedy_ones() -> None:
    tokens = DefaultTokenizer(use_stemmer=True)
    for item in first_items("dev.jsonl", 5):
        story = parse((item, "cnn-dev"))
        sentences = [grams(t) for t in story.tokens]
        reference = grams([t for line in story.reference for t in line])
        single = [rouge12([i], sentences, reference) for i in range(len(sentences))]
        greedy = oracle(sentences, reference)
        best = best_set(sentences, reference, single)
        assert rouge12(best, sentences, reference) >= rouge12(greedy, sentences, reference)
        assert story.labels["best3"][best].sum() == len(best)
    assert tokens  # the tokenizer the labels use is rouge-score's own


def test_folds_keep_an_articles_copies_together_and_spread_each_outlet() -> None:
    items = first_items("dev.jsonl", 10) + first_items("train_mixed.jsonl", 10)
    stories = [parse((item, "cnn-dev")) for item in items[:10]]
    stories += [parse((item, "cnn-dev-untitled")) for item in items[:10]]
    stories += [parse((item, "dailymail")) for item in items[10:]]
    assign_folds(stories)
    assert [s.fold for s in stories[:10]] == [s.fold for s in stories[10:20]]
    for outlet in ("cnn", "dailymail"):
        folds = [s.fold for s in stories if s.outlet == outlet and s.slice != "cnn-dev-untitled"]
        assert sorted(set(folds)) == list(range(FOLDS))


def view(text: str) -> SentenceView:
    return SentenceView(text, len(text.split()), text.lower().rstrip(".").split())


def test_sets_are_chosen_together_so_a_repeat_loses_its_place() -> None:
    texts = ("fire hits city hall", "fire hits city hall again", "mayor blames wiring",
             "rain expected", "schools closed")  # fmt: skip
    found = [view(t) for t in texts]
    scores = np.array([1.0, 0.95, 0.6, 0.1, 0.5])
    alone = choose(scores, found, Selection((), 0.0, 5))
    together = choose(scores, found, Selection((), 1.0, 5))
    assert sorted(alone[:3]) == [0, 1, 2]
    assert sorted(together[:3]) == [0, 2, 4]
    assert sorted(together) == list(range(5))  # every sentence is still ranked


def test_lead_bonus_lifts_the_first_sentences() -> None:
    found = [view(t) for t in ("a b", "c d", "e f", "g h")]
    scores = np.array([0.1, 0.2, 0.3, 0.4])
    assert choose(scores, found, Selection((1.0,), 0.0, 4))[0] == 0
    assert choose(scores, found, Selection((), 0.0, 4))[0] == 3
