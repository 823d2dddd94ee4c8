"""The numpy back-end computes the same vectors as sentence-transformers."""

from __future__ import annotations

import numpy as np
import pytest

from accord.corroborate import embed as embedding


def test_unknown_backend_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_EMBED_BACKEND", "gpu-magic")
    with pytest.raises(ValueError, match="ACCORD_EMBED_BACKEND"):
        embedding._backend()


@pytest.mark.slow
def test_numpy_backend_matches_sentence_transformers() -> None:
    texts = [
        "The ferry to Kelloway was cancelled because of high winds.",
        "Strong winds stopped the Kelloway ferry.",
        "a",
        "Council members voted seven to two to close the library on Sundays, and the mayor, "
        "who had opposed the plan for months, said she would ask for a second vote in spring. " * 6,
    ]
    ours = embedding._NumpyMiniLM.load(embedding.model_path()).encode(texts)
    reference = embedding.get_sentence_transformer().encode(texts, normalize_embeddings=True)
    assert ours.shape == (4, 384)
    cosines = (ours * reference).sum(axis=1)
    assert cosines.min() > 0.9999
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
def test_embed_caches_and_keeps_order() -> None:
    vectors = embedding.embed(["first text here", "second one", "first text here"])
    assert vectors.shape == (3, 384)
    assert np.allclose(vectors[0], vectors[2])
    assert embedding.embed([]).shape == (0, 384)
