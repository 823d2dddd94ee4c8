"""Copied text: articles that share most of their own words (syndicated wire copies).

Two articles are copies when most of the shorter one's text outside quotation
marks appears word for word in the longer one: the share of its word 5-gram
shingles found in the other (containment, Broder 1997) is at least
:data:`COPY_THRESHOLD`. Text inside quotation marks does not count: outlets that
quote the same statement or press release have each written their own article
around it, and copy relations must never chain through a shared quote.

The relation is between pairs and is not transitive: A copies B and B copies C
does not make A a copy of C unless A and C share most of their text too.

Candidate pairs come from MinHash LSH (datasketch) over the same shingles, the
same machinery in one story (:func:`find_copies`) and over a whole corpus
(:class:`CopyIndex`, used by the store on ingest). A story's candidates are
checked on their exact shingle sets; the corpus keeps only signatures and the
number of shingles, and estimates containment from them, so both paths find the
same pairs up to the sampling error of the signatures near the threshold.

References: Broder (1997) on resemblance and containment of documents; Leskovec,
Rajaraman and Ullman, *Mining of Massive Datasets*, ch. 3 (LSH banding).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import struct
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from accord.models import Article

if TYPE_CHECKING:
    from datasketch import LeanMinHash, MinHashLSH

__all__ = [
    "COPY_THRESHOLD",
    "MIN_SHINGLES",
    "NUM_PERM",
    "CopyIndex",
    "Signature",
    "containment",
    "content_key",
    "estimated_containment",
    "find_copies",
    "minhash",
    "minhash_from_bytes",
    "minhash_to_bytes",
    "normalize_text",
    "outside_quotes",
    "shingles",
]

log = logging.getLogger(__name__)

#: Word n-gram length of the shingles.
SHINGLE = 5
#: MinHash permutations (datasketch's default; 512 bytes per signature).
NUM_PERM = 128
#: Share of the shorter article's shingles outside quotes that the longer one must
#: contain for the two to be copies: "most of its text", more than half. A light
#: edit of a wire story (a dateline, house style for dates, a trimmed paragraph)
#: keeps well over 0.9 of it; each changed word breaks at most five shingles, so
#: 0.5 is reached only when about one word in ten is changed, which is a rewrite.
#: Independently written articles on one event, quotes aside, share common phrases
#: and names, typically under a fifth of their shingles. The wide gap between the
#: two makes the exact value uncritical; the middle of it is chosen.
COPY_THRESHOLD = 0.5
#: Fewest shingles outside quotes an article needs before it can be called a copy
#: (about 24 running words, more than one typical news sentence): one shared
#: sentence of attribution ("the police said in a statement on Monday") is not
#: most of an article, and an article that is nearly all quotation has too little
#: text of its own to tell.
MIN_SHINGLES = 20
#: LSH banding for candidate pairs (64 bands of 2 rows, 128 permutations). A copy of
#: a text of equal length at the threshold has Jaccard similarity 1/3 and is a
#: candidate with probability over 0.999; a full copy of a text five times its
#: length (Jaccard 0.2) with probability 0.93.
_BANDS, _ROWS = 64, 2
_SEED = 1
_SCHEME = "affine32"
_SIZE = struct.Struct("<I")

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_SPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Case-, width- and whitespace-folded text: what a content hash is taken over."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def content_key(text: str) -> str:
    """The content hash of an article body (blake2b of the normalised text, 32 hex digits)."""
    return hashlib.blake2b(normalize_text(text).encode("utf-8"), digest_size=16).hexdigest()


def outside_quotes(text: str) -> list[str]:
    """The runs of a text outside quotation marks, in order.

    Quotations are paired as the quote finder pairs them
    (:mod:`accord.analyze.quotes`): double marks of every style paragraph by
    paragraph, an unclosed quotation running to the end of its paragraph as news
    prints a quote that goes on over several, and British single marks in a
    paragraph with no double ones.
    """
    from accord.analyze.quotes import _find_quotes

    runs: list[str] = []
    start = 0
    for quote in _find_quotes(text):
        runs.append(text[start:quote.mark_start])
        start = max(start, quote.mark_end)
    runs.append(text[start:])
    return [run for run in runs if run.strip()]


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str, n: int = SHINGLE) -> set[bytes]:
    """The word n-grams of a text outside quotation marks, as bytes.

    No n-gram spans a quotation: the words on either side of one are not running
    text. A run shorter than n words gives no shingle.
    """
    found: set[bytes] = set()
    for run in outside_quotes(text):
        words = _words(run)
        found.update(" ".join(words[i:i + n]).encode("utf-8") for i in range(len(words) - n + 1))
    return found


def containment(a: set[bytes], b: set[bytes]) -> float:
    """Share of the smaller shingle set found in the larger (0.0 when it is below :data:`MIN_SHINGLES`)."""
    smaller, larger = (a, b) if len(a) <= len(b) else (b, a)
    if len(smaller) < MIN_SHINGLES:
        return 0.0
    return len(smaller & larger) / len(smaller)


@dataclass(frozen=True, slots=True)
class Signature:
    """The MinHash of an article's shingles outside quotes, with how many shingles there were.

    ``size`` is None for a signature stored before sizes were kept; it is then
    estimated from the signature.
    """

    minhash: LeanMinHash
    size: int | None

    def shingle_count(self) -> float:
        """The number of shingles, as stored or estimated from the signature."""
        return float(self.size) if self.size is not None else max(self.minhash.count(), 0.0)


def minhash(text: str) -> Signature:
    """The signature of a text's word 5-gram shingles outside quotes (fixed seed: stable across runs)."""
    return _signature(shingles(text))


def _signature(found: set[bytes]) -> Signature:
    from datasketch import LeanMinHash, MinHash

    signature = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME, permutations=_permutations())
    signature.update_batch(sorted(found))
    return Signature(LeanMinHash(signature), len(found))


@functools.cache
def _permutations() -> object:
    """The seeded permutations, made once per process (datasketch would redo them per signature)."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME).permutations


def minhash_to_bytes(signature: Signature) -> bytes:
    """The signature's hash values and shingle count as bytes, for storage."""
    data = signature.minhash.hashvalues.astype("<u4").tobytes()
    return data if signature.size is None else data + _SIZE.pack(min(signature.size, 2**32 - 1))


def minhash_from_bytes(data: bytes) -> Signature:
    """Rebuild a signature stored by :func:`minhash_to_bytes` (or one stored without its count)."""
    import numpy as np
    from datasketch import LeanMinHash

    width = NUM_PERM * 4
    if len(data) not in (width, width + _SIZE.size):
        raise ValueError(f"a stored signature is {width} or {width + _SIZE.size} bytes, not {len(data)}")
    values = LeanMinHash(seed=_SEED, hashvalues=np.frombuffer(data[:width], dtype="<u4"), scheme=_SCHEME)
    size = _SIZE.unpack(data[width:])[0] if len(data) > width else None
    return Signature(values, size)


def estimated_containment(a: Signature, b: Signature) -> float:
    """Containment of the smaller shingle set in the larger, estimated from two signatures.

    From the estimated Jaccard similarity J and the set sizes, the intersection is
    J * (|A| + |B|) / (1 + J).
    """
    small, large = sorted((a.shingle_count(), b.shingle_count()))
    if small < MIN_SHINGLES:
        return 0.0
    jaccard = a.minhash.jaccard(b.minhash)
    return min(1.0, jaccard * (small + large) / (1.0 + jaccard) / small)


def _lsh() -> MinHashLSH:
    from datasketch import MinHashLSH

    return MinHashLSH(num_perm=NUM_PERM, params=(_BANDS, _ROWS))


class CopyIndex:
    """Copy search over a growing corpus: MinHash LSH candidates, estimated containment.

    :meth:`add` returns the key of the earliest indexed article this one copies,
    or None when it copies none; :meth:`copies` gives every indexed article it
    shares most of its text with. Keys are added in ingest order.
    """

    def __init__(self, threshold: float = COPY_THRESHOLD) -> None:
        self.threshold = threshold
        self._lsh = _lsh()
        self._signatures: dict[str, Signature] = {}
        self._order: dict[str, int] = {}
        self._pairs: dict[str, set[str]] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def add(self, key: str, signature: Signature, *, known: bool = False,
            copy_of: str | None = None) -> str | None:
        """Index an article; return the earliest indexed article it copies, or None.

        With ``known=True`` the article's ``copy_of`` is taken as given (rebuilding
        from a store) instead of searched for.
        """
        if key in self._signatures:
            return min(self._pairs.get(key, ()), key=self._order.__getitem__, default=None)
        matches = {copy_of} & self._signatures.keys() if known else self._matches(signature)
        for other in matches:
            self._pairs.setdefault(key, set()).add(other)
            self._pairs.setdefault(other, set()).add(key)
        self._lsh.insert(key, signature.minhash, check_duplication=False)
        self._signatures[key] = signature
        self._order[key] = len(self._order)
        if known:
            return copy_of
        return min(matches, key=self._order.__getitem__, default=None)

    def copies(self, key: str) -> tuple[str, ...]:
        """The indexed articles that share most of their text with ``key``, sorted."""
        return tuple(sorted(self._pairs.get(key, ())))

    def _matches(self, signature: Signature) -> set[str]:
        return {
            other for other in self._lsh.query(signature.minhash)
            if estimated_containment(signature, self._signatures[other]) >= self.threshold
        }


def find_copies(articles: Sequence[Article]) -> dict[str, tuple[str, ...]]:
    """For the articles of one story, map each id to the sorted ids it shares copied text with.

    Two articles are copies when at least half of the shorter one's word 5-gram
    shingles outside quotation marks are found in the longer one (candidates from
    MinHash LSH, as in :class:`CopyIndex`, checked exactly), or when their
    normalised texts are identical. Pairs are not chained: each listed id is a copy
    of the article itself. Articles with no copies map to an empty tuple.
    """
    ids = [a.id for a in articles]
    links: dict[str, set[str]] = {article_id: set() for article_id in ids}
    if len(articles) < 2:
        return {article_id: () for article_id in ids}
    found = [shingles(a.text) for a in articles]
    keys = [content_key(a.text) for a in articles]
    for i, j in sorted(_candidate_pairs(found) | _identical_pairs(keys)):
        if ids[i] != ids[j] and (keys[i] == keys[j] or containment(found[i], found[j]) >= COPY_THRESHOLD):
            links[ids[i]].add(ids[j])
            links[ids[j]].add(ids[i])
    return {article_id: tuple(sorted(others)) for article_id, others in links.items()}


def _candidate_pairs(found: Sequence[set[bytes]]) -> set[tuple[int, int]]:
    """Index pairs (i < j) that LSH proposes, as :class:`CopyIndex` would."""
    lsh = _lsh()
    signatures = [_signature(s) for s in found]
    for index, signature in enumerate(signatures):
        lsh.insert(index, signature.minhash, check_duplication=False)
    return {
        (min(i, j), max(i, j))
        for i, signature in enumerate(signatures)
        for j in lsh.query(signature.minhash) if i != j
    }


def _identical_pairs(keys: Sequence[str]) -> set[tuple[int, int]]:
    """Index pairs (i < j) of articles with the same content key."""
    by_key: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        by_key.setdefault(key, []).append(index)
    return {(i, j) for same in by_key.values() for i in same for j in same if i < j}
