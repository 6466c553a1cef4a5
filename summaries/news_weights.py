"""NewsSummarizer's weights, one per news_features.FEATURES name (hand-set for now)."""

WEIGHTS: dict[str, float] = {
    "bias": 0.0,
    "first": 1.0,
    "second": 0.5,
    "third": 0.3,
    "inverse_position": 0.5,
    "relative_position": -0.3,
    "log_words": 0.0,
    "short": -0.3,
    "long": -0.1,
    "centroid": 0.5,
    "word_probability": 0.0,
    "lead_similarity": 0.0,
    "title_overlap": 0.5,
    "quote": 0.0,
    "digit": 0.0,
    "fragment": -0.5,
    "question": -0.2,
    "paragraph_start": 0.0,
}
REDUNDANCY = 0.3
