"""Copied text: syndicated wire copies, long identical passages, the same quotes in the same order.

Near-duplicates are found with MinHash LSH (datasketch) over word 5-gram shingles,
the same machinery in one story (:func:`find_copies`) and over a whole corpus
(:class:`CopyIndex`, used by the store on ingest). Inside a story two more tests
catch rewrites of the same wire text that changed too much for MinHash: a long
passage shared word for word outside quotation marks, and three or more of the
same quotations given in the same order. Independently written articles about one
event share facts and a quote or two, not these.

References: Broder (1997) on resemblance of documents; Leskovec, Rajaraman and
Ullman, *Mining of Massive Datasets*, ch. 3 (LSH banding).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import TYPE_CHECKING

from accord.models import Article

if TYPE_CHECKING:
    from datasketch import LeanMinHash

__all__ = [
    "COPY_THRESHOLD",
    "NUM_PERM",
    "CopyIndex",
    "content_key",
    "find_copies",
    "minhash",
    "minhash_from_bytes",
    "normalize_text",
    "shingles",
]

log = logging.getLogger(__name__)

#: Word n-gram length of the MinHash shingles.
SHINGLE = 5
#: MinHash permutations (datasketch's default; 512 bytes per signature).
NUM_PERM = 128
#: Jaccard similarity of shingle sets above which two texts are copies.
COPY_THRESHOLD = 0.5
#: A shared passage is this many 8-word shingles (about 20 running words) outside quotes.
PASSAGE_SHINGLE = 8
PASSAGE_MIN_SHARED = 12
#: This many shared quotations, in the same order, make a copy.
QUOTES_MIN_SHARED = 3
_QUOTE_MIN_WORDS = 4
_SEED = 1
_SCHEME = "affine32"

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_QUOTE = re.compile(r"“([^”]{1,2000})”|\"([^\"]{1,2000})\"")
_SPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Case-, width- and whitespace-folded text: what a content hash is taken over."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def content_key(text: str) -> str:
    """The content hash of an article body (blake2b of the normalised text, 32 hex digits)."""
    return hashlib.blake2b(normalize_text(text).encode("utf-8"), digest_size=16).hexdigest()


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str, n: int = SHINGLE) -> set[bytes]:
    """The word n-grams of a text, as bytes (a text shorter than n words is one shingle)."""
    words = _words(text)
    if len(words) < n:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + n]).encode("utf-8") for i in range(len(words) - n + 1)}


def minhash(text: str) -> LeanMinHash:
    """The MinHash signature of a text's word 5-gram shingles (fixed seed: stable across runs)."""
    from datasketch import LeanMinHash, MinHash

    signature = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME, permutations=_permutations())
    signature.update_batch(sorted(shingles(text)))
    return LeanMinHash(signature)


@functools.cache
def _permutations() -> object:
    """The seeded permutations, made once per process (datasketch would redo them per signature)."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME).permutations


def minhash_to_bytes(signature: LeanMinHash) -> bytes:
    """The signature's hash values as bytes, for storage."""
    return signature.hashvalues.astype("<u4").tobytes()


def minhash_from_bytes(data: bytes) -> LeanMinHash:
    """Rebuild a signature stored by :func:`minhash_to_bytes`."""
    import numpy as np
    from datasketch import LeanMinHash

    return LeanMinHash(seed=_SEED, hashvalues=np.frombuffer(data, dtype="<u4"), scheme=_SCHEME)


class CopyIndex:
    """Near-duplicate search over a growing corpus: MinHash LSH with copy groups.

    :meth:`add` returns the key of the earliest article this one copies (its copy
    group), or None when it is original. Keys are added in ingest order.
    """

    def __init__(self, threshold: float = COPY_THRESHOLD) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._signatures: dict[str, LeanMinHash] = {}
        self._group: dict[str, str] = {}
        self._order: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def add(self, key: str, signature: LeanMinHash, *, known: bool = False,
            copy_of: str | None = None) -> str | None:
        """Index an article; return the group key of the copies it matches, or None.

        With ``known=True`` the article's ``copy_of`` is taken as given (rebuilding
        from a store) instead of searched for.
        """
        if key in self._signatures:
            return self._group.get(key)
        if not known:
            matches = [
                other for other in self._lsh.query(signature)
                if signature.jaccard(self._signatures[other]) >= self.threshold
            ]
            if matches:
                copy_of = min((self._group.get(m, m) for m in matches), key=self._order.__getitem__)
        self._lsh.insert(key, signature, check_duplication=False)
        self._signatures[key] = signature
        self._order[key] = len(self._order)
        if copy_of is not None:
            self._group[key] = copy_of
        return copy_of


def find_copies(articles: Sequence[Article]) -> dict[str, tuple[str, ...]]:
    """For the articles of one story, map each id to the sorted ids it shares copied text with.

    Two articles share copied text when their word 5-gram shingles overlap with
    Jaccard similarity of at least 0.5 (found with MinHash LSH, checked exactly),
    when they share a passage of about 20 running words outside quotation marks,
    or when they give three or more of the same quotations in the same order.
    Articles with no copies map to an empty tuple.
    """
    from datasketch import MinHashLSH

    ids = [a.id for a in articles]
    links: dict[str, set[str]] = {article_id: set() for article_id in ids}
    if len(articles) < 2:
        return {article_id: () for article_id in ids}
    shingle_sets = [shingles(a.text) for a in articles]
    signatures = [minhash(a.text) for a in articles]
    lsh = MinHashLSH(threshold=COPY_THRESHOLD, num_perm=NUM_PERM)
    for index, signature in enumerate(signatures):
        lsh.insert(str(index), signature, check_duplication=False)
    for index, article in enumerate(articles):
        for other in lsh.query(signatures[index]):
            j = int(other)
            if j != index and _jaccard(shingle_sets[index], shingle_sets[j]) >= COPY_THRESHOLD:
                _link(links, article.id, ids[j])
    passages = [_passage_shingles(a.text) for a in articles]
    quotes = [_quotes(a.text) for a in articles]
    for i, j in combinations(range(len(articles)), 2):
        if ids[j] in links[ids[i]] or ids[i] == ids[j]:
            continue
        if len(passages[i] & passages[j]) >= PASSAGE_MIN_SHARED or (
            _common_in_order(quotes[i], quotes[j]) >= QUOTES_MIN_SHARED
        ):
            _link(links, ids[i], ids[j])
    return {article_id: tuple(sorted(others)) for article_id, others in links.items()}


def _link(links: dict[str, set[str]], a: str, b: str) -> None:
    if a != b:
        links[a].add(b)
        links[b].add(a)


def _jaccard(a: set[bytes], b: set[bytes]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _passage_shingles(text: str) -> set[bytes]:
    outside = _QUOTE.sub(" | ", text)
    words = _words(outside)
    n = PASSAGE_SHINGLE
    return {" ".join(words[i:i + n]).encode("utf-8") for i in range(len(words) - n + 1)}


def _quotes(text: str) -> list[str]:
    found = []
    for match in _QUOTE.finditer(text):
        words = _words(match.group(1) or match.group(2) or "")
        if len(words) >= _QUOTE_MIN_WORDS:
            found.append(" ".join(words))
    return found


def _common_in_order(a: Iterable[str], b: Iterable[str]) -> int:
    # Longest common subsequence of two short quote lists (dynamic programming).
    a, b = list(a), list(b)
    if not a or not b:
        return 0
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for k, y in enumerate(b, start=1):
            current.append(previous[k - 1] + 1 if x == y else max(previous[k], current[k - 1]))
        previous = current
    return previous[-1]
