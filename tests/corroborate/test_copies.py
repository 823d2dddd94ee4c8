"""Copied text: a syndicated copy is found, independent rewrites of the same event are not."""

from __future__ import annotations

from accord.corroborate.copies import (
    CopyIndex,
    content_key,
    find_copies,
    minhash,
    minhash_from_bytes,
    minhash_to_bytes,
)
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


def _article(article_id: str, text: str) -> Article:
    return Article(id=article_id, title="Floods in Dunmarsh", text=text)


def test_a_syndicated_copy_is_found_and_independent_rewrites_are_not() -> None:
    copies = find_copies([_article("wire", WIRE), _article("copy", SYNDICATED),
                          _article("rewrite", REWRITE), _article("other", OTHER_REWRITE)])
    assert copies == {"wire": ("copy",), "copy": ("wire",), "rewrite": (), "other": ()}


def test_a_long_shared_passage_outside_quotes_is_a_copy() -> None:
    passage = (
        "The regional emergency office said two bridges over the Kell river were closed and that a "
        "school on Orchard Road was being used as a shelter for the night."
    )
    first = "Rain fell for a third day over the north. " + passage + " More rain is due."
    second = "Officials in Dunmarsh spoke at noon. " + passage + " Schools stay shut on Friday."
    copies = find_copies([_article("a", first), _article("b", second), _article("c", REWRITE)])
    assert copies["a"] == ("b",)
    assert copies["c"] == ()


def test_the_same_quotes_in_the_same_order_are_a_copy_but_one_shared_quote_is_not() -> None:
    quotes = [
        "\"We have never seen the water come up this fast,\"",
        "\"Every pump in the county is on its way here,\"",
        "\"Nobody should try to drive across the Kell tonight,\"",
    ]
    first = f"The mayor spoke first. {quotes[0]} she said. Later: {quotes[1]} she added. {quotes[2]} she warned."
    second = f"{quotes[0]} said Lind at dawn. {quotes[1]} Lind told us. Finally {quotes[2]} Lind said."
    shuffled = f"{quotes[2]} said Lind. {quotes[0]} she said. {quotes[1]} she said."
    one = f"At a briefing Lind gave one line: {quotes[0]} Little else was said."
    copies = find_copies([_article("a", first), _article("b", second), _article("c", shuffled),
                          _article("d", one)])
    assert copies["a"] == ("b",)
    assert copies["c"] == ()
    assert copies["d"] == ()


def test_single_article_and_empty_story() -> None:
    assert find_copies([_article("only", WIRE)]) == {"only": ()}
    assert find_copies([]) == {}


def test_content_key_ignores_case_and_spacing_only() -> None:
    assert content_key("Flood  waters\nrose.") == content_key("flood waters rose.")
    assert content_key("Flood waters rose.") != content_key("Flood waters fell.")
    assert len(content_key(WIRE)) == 32


def test_copy_index_groups_copies_under_the_first_article() -> None:
    index = CopyIndex()
    assert index.add("wire", minhash(WIRE)) is None
    assert index.add("copy", minhash(SYNDICATED)) == "wire"
    assert index.add("rewrite", minhash(REWRITE)) is None
    restored = CopyIndex()
    restored.add("wire", minhash_from_bytes(minhash_to_bytes(minhash(WIRE))), known=True)
    assert restored.add("copy2", minhash(SYNDICATED)) == "wire"
