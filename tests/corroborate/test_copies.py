"""Copied text: a syndicated copy is found; independent rewrites and shared quotes are not copies."""

from __future__ import annotations

import pytest

from accord.corroborate.copies import (
    NUM_PERM,
    CopyIndex,
    content_key,
    find_copies,
    minhash,
    minhash_from_bytes,
    minhash_to_bytes,
    outside_quotes,
)
from accord.corroborate.facts import independent_count
from accord.models import Article

WIRE = (
    "Flood waters rose through the river town of Dunmarsh on Thursday after three days of heavy rain, "
    "forcing 240 families from their homes. The regional emergency office said two bridges over the "
    "Kell river were closed and that a school on Orchard Road was being used as a shelter. "
    "\"We have never seen the water come up this fast,\" said Dunmarsh mayor Petra Lind. "
    "Forecasters expect the rain to ease on Saturday, but warned that the Kell could stay above its "
    "banks until early next week. Volunteers filled sandbags at the town hall through the night, and "
    "a convoy of army trucks arrived on Thursday afternoon with pumps and drinking water."
)
SYNDICATED = (
    "DUNMARSH (Northwire) - Flood waters rose through the river town of Dunmarsh on Thursday after three "
    "days of heavy rain, forcing 240 families from their homes. The regional emergency office said two "
    "bridges over the Kell river were closed and that a school on Orchard Road was being used as a "
    "shelter. \"We have never seen the water come up this fast,\" said Dunmarsh mayor Petra Lind. "
    "Forecasters expect the rain to ease on Saturday, but warned that the Kell could stay above its banks "
    "until early next week. Volunteers filled sandbags at the town hall through the night, and a convoy "
    "of army trucks arrived on Thursday afternoon with pumps and water. Copyright Northwire."
)
REWRITE = (
    "Some 240 households in Dunmarsh had to leave on Thursday as the Kell burst its banks following a "
    "wet week. Mayor Petra Lind described a river that climbed faster than anyone could remember. "
    "Two crossings were shut by the emergency office, and families slept in a school hall. "
    "Soldiers brought pumps in the afternoon; the weather service sees drier skies from Saturday."
)
OTHER_REWRITE = (
    "Residents of Dunmarsh spent Thursday night stacking sandbags as the river climbed. Officials counted "
    "240 displaced families by evening. \"We have never seen the water come up this fast,\" the mayor "
    "said. Army lorries with water pumps reached the town later in the day."
)


STATEMENT = (
    "The Harrow Valley Water Board regrets the disruption caused to households in the eastern "
    "districts since Tuesday morning. A fault in the main pumping station at Cresswell left the "
    "reservoir unable to feed the network, and our engineers have worked through two nights to "
    "replace the damaged control unit. Supply has now been restored to every affected street, "
    "although residents may notice discoloured water for up to forty-eight hours while the pipes "
    "are flushed. Customers who were without water for more than twelve hours will receive a "
    "credit on their next bill, and bottled water remains available at the Cresswell community "
    "centre until Friday evening. We are also bringing forward a review of the backup pumps at "
    "all four of our stations, which was planned for next spring, and we will publish its findings "
    "in full. We would like to thank residents for their patience and the staff of the community "
    "centre for their help in handing out more than thirty thousand bottles over two days."
)
QUOTER_A = (
    "Thousands of homes in eastern Harrow Valley had their taps run dry for almost two days this "
    "week after a breakdown at a pumping station, and some families queued for bottled water in the "
    "rain outside a community centre. The board apologised in a statement on Thursday: "
    f"\u201c{STATEMENT}\u201d Local councillor Amira Yusuf said she had received dozens of calls from "
    "elderly residents who could not reach the distribution point and asked the board to deliver "
    "water door to door next time."
)
QUOTER_B = (
    "Water is flowing again in the eastern districts of Harrow Valley, where a pump failure at "
    "Cresswell left streets without supply from Tuesday. Shop owners on Mill Lane said they had "
    "closed early on both days.\n\n"
    f"\"{STATEMENT}\" the water board said.\n\n"
    "Opposition members on the county council have called for an inquiry into maintenance at the "
    "station, which was last upgraded in 2009."
)
COPY_OF_A = (
    "HARROW VALLEY (Westwire) - Thousands of homes in eastern Harrow Valley had their taps run dry for "
    "almost two days this week after a breakdown at a pumping station, and some families queued for "
    "bottled water in the rain outside a community centre. The board apologised in a statement on "
    f"Thursday: \u201c{STATEMENT}\u201d Councillor Amira Yusuf said she had received dozens of calls from "
    "elderly residents who could not reach the distribution point and asked the board to deliver "
    "water door to door in future."
)


def _article(article_id: str, text: str) -> Article:
    return Article(id=article_id, title="Floods in Dunmarsh", text=text)


def test_a_syndicated_copy_is_found_and_independent_rewrites_are_not() -> None:
    copies = find_copies([_article("wire", WIRE), _article("copy", SYNDICATED),
                          _article("rewrite", REWRITE), _article("other", OTHER_REWRITE)])
    assert copies == {"wire": ("copy",), "copy": ("wire",), "rewrite": (), "other": ()}


def test_articles_quoting_the_same_statement_are_not_copies() -> None:
    copies = find_copies([_article("a", QUOTER_A), _article("b", QUOTER_B)])
    assert copies == {"a": (), "b": ()}


def test_copies_do_not_chain_through_a_shared_quote() -> None:
    copies = find_copies([_article("a", QUOTER_A), _article("b", QUOTER_B), _article("c", COPY_OF_A)])
    assert copies == {"a": ("c",), "b": (), "c": ("a",)}
    assert independent_count(["a", "b", "c"], copies) == 2


def test_an_article_that_is_nearly_all_quotation_copies_nothing() -> None:
    first = f"The board said: \u201c{STATEMENT}\u201d"
    second = f"In a statement the water board said: \u201c{STATEMENT}\u201d"
    assert find_copies([_article("a", first), _article("b", second)]) == {"a": (), "b": ()}


def test_identical_texts_are_copies_however_short() -> None:
    text = f"The board said: \u201c{STATEMENT}\u201d"
    assert find_copies([_article("a", text), _article("b", text)]) == {"a": ("b",), "b": ("a",)}


@pytest.mark.parametrize(("text", "outside"), [
    ("He said \u201cno more\u201d and left.", ["He said ", " and left."]),
    ('He said "no more" and left.', ["He said ", " and left."]),
    ("He said `` no more '' and left .", ["He said ", " and left ."]),
    ("Intro.\n\u201cFirst paragraph of a quote\n\u201cSecond,\u201d he said.\nAfter.",
     ["Intro.\n", " he said.\nAfter."]),
    ("He said 'no more' and left.", ["He said ", " and left."]),
    ("He didn't say it's over.", ["He didn't say it's over."]),
])
def test_outside_quotes(text: str, outside: list[str]) -> None:
    assert outside_quotes(text) == outside


def test_independent_count_does_not_chain_copies() -> None:
    # a and b each share most of their text with the longer c, but not with each other.
    assert independent_count(["a", "b", "c"], {"a": ("c",), "b": ("c",), "c": ("a", "b")}) == 2
    assert independent_count(["a", "b", "c"], {"a": ("b", "c"), "b": ("a", "c"), "c": ("a", "b")}) == 1


def test_single_article_and_empty_story() -> None:
    assert find_copies([_article("only", WIRE)]) == {"only": ()}
    assert find_copies([]) == {}


def test_content_key_ignores_case_and_spacing_only() -> None:
    assert content_key("Flood  waters\nrose.") == content_key("flood waters rose.")
    assert content_key("Flood waters rose.") != content_key("Flood waters fell.")
    assert len(content_key(WIRE)) == 32


def test_copy_index_finds_the_same_pairs_as_a_story() -> None:
    articles = [_article("wire", WIRE), _article("copy", SYNDICATED), _article("rewrite", REWRITE),
                _article("other", OTHER_REWRITE), _article("a", QUOTER_A), _article("b", QUOTER_B),
                _article("c", COPY_OF_A)]
    index = CopyIndex()
    for article in articles:
        index.add(article.id, minhash(article.text))
    assert {a.id: index.copies(a.id) for a in articles} == find_copies(articles)


def test_copy_index_returns_the_earliest_article_copied_without_chaining() -> None:
    index = CopyIndex()
    assert index.add("a", minhash(QUOTER_A)) is None
    assert index.add("b", minhash(QUOTER_B)) is None
    assert index.add("c", minhash(COPY_OF_A)) == "a"
    assert index.copies("b") == ()


def test_stored_signatures_keep_their_shingle_count() -> None:
    signature = minhash(WIRE)
    restored = minhash_from_bytes(minhash_to_bytes(signature))
    assert restored == signature
    legacy = minhash_from_bytes(minhash_to_bytes(signature)[: NUM_PERM * 4])
    assert legacy.size is None
    assert legacy.shingle_count() > 0
    with pytest.raises(ValueError, match="bytes"):
        minhash_from_bytes(b"\x00" * 8)


def test_copy_index_groups_copies_under_the_first_article() -> None:
    index = CopyIndex()
    assert index.add("wire", minhash(WIRE)) is None
    assert index.add("copy", minhash(SYNDICATED)) == "wire"
    assert index.add("rewrite", minhash(REWRITE)) is None
    restored = CopyIndex()
    restored.add("wire", minhash_from_bytes(minhash_to_bytes(minhash(WIRE))), known=True)
    assert restored.add("copy2", minhash(SYNDICATED)) == "wire"
