"""Story clustering: same event together, a different event of the same kind apart."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

import accord.group as group_module
from accord.group import GroupOptions, StoryIndex, cluster_batch, doc_features, group_jsonl, make_doc, story_id_for

# Two warehouse fires in two towns on the same days, and one unrelated story.
BRENNICK_1 = (
    "Fire destroys paper warehouse in Brennick",
    "A fire destroyed a paper warehouse on Canal Street in Brennick on Tuesday night. "
    "Three workers were treated for smoke inhalation. Brennick fire chief Ada Morrow said "
    "crews from Brennick and Selby Cross fought the blaze for six hours. The warehouse, owned "
    "by Quillon Paper, stored 400 tonnes of recycled card. Canal Street stayed closed on Wednesday.",
)
BRENNICK_2 = (
    "Three hurt as blaze guts Brennick paper store",
    "Three people were hurt when flames gutted the Quillon Paper warehouse in Brennick late on "
    "Tuesday. Chief Ada Morrow told reporters that the roof collapsed around midnight and that "
    "Canal Street residents were asked to keep windows shut. Quillon Paper said the 400 tonnes of "
    "card inside were lost. Investigators from Brennick will examine the site.",
)
TARNFORD_1 = (
    "Furniture depot burns in Tarnford",
    "A furniture depot on Mill Lane in Tarnford burned down on Tuesday night and five firefighters "
    "were injured. Tarnford fire chief Colm Reyes said the depot, run by Halberg Furnishings, held "
    "stacks of lacquered timber that fed the flames. Mill Lane was evacuated and crews from Tarnford "
    "and Wexby stayed on the scene until Wednesday morning.",
)
TARNFORD_2 = (
    "Five firefighters hurt in Tarnford depot fire",
    "Five firefighters were injured as a blaze tore through the Halberg Furnishings depot in Tarnford "
    "on Tuesday. Chief Colm Reyes said lacquered timber made the fire spread fast. Homes on Mill Lane "
    "were evacuated overnight, and Halberg Furnishings said it would help the Tarnford investigation.",
)
BUDGET = (
    "Harlow council approves school budget",
    "Harlow council voted on Tuesday to approve a school budget of 12 million, with new funds for "
    "libraries and bus routes. Councillor Imogen Tate said the vote followed months of hearings.",
)


def _docs(published: str = "2024-05-07") -> list:
    rows = [("b1", BRENNICK_1), ("t1", TARNFORD_1), ("x1", BUDGET), ("b2", BRENNICK_2), ("t2", TARNFORD_2)]
    return [make_doc(key, title, text, published=published) for key, (title, text) in rows]


def test_two_fires_in_two_towns_on_the_same_days_stay_apart() -> None:
    stories = dict(zip(["b1", "t1", "x1", "b2", "t2"], StoryIndex().add_batch(_docs()), strict=True))
    assert stories["b1"] == stories["b2"]
    assert stories["t1"] == stories["t2"]
    assert stories["b1"] != stories["t1"]
    assert stories["x1"] not in {stories["b1"], stories["t1"]}


def test_a_new_article_joins_an_existing_story_without_reclustering() -> None:
    index = StoryIndex()
    first = index.add_batch(_docs()[:3])
    joined = index.add_batch([make_doc("b2", *BRENNICK_2, published="2024-05-08")])
    assert joined == [first[0]]
    assert index.stories[first[0]].size == 2
    assert len(index.stories) == 3


def test_the_same_event_outside_the_time_window_opens_a_new_story() -> None:
    index = StoryIndex(GroupOptions(window_days=3))
    first = index.add_batch([make_doc("b1", *BRENNICK_1, published="2024-05-07")])
    later = index.add_batch([make_doc("b2", *BRENNICK_2, published="2024-06-20")])
    assert later != first
    near = index.add_batch([make_doc("b3", *BRENNICK_2, published="2024-05-09")])
    assert near == first


def test_restore_rebuilds_a_story_without_clustering() -> None:
    index = StoryIndex()
    ids = index.add_batch(_docs())
    rebuilt = StoryIndex()
    docs = _docs()
    rebuilt.count(docs)
    for doc, story_id in zip(docs, ids, strict=True):
        rebuilt.restore(doc, story_id)
    assert {s: rebuilt.stories[s].size for s in set(ids)} == {s: index.stories[s].size for s in set(ids)}
    extra = make_doc("t3", TARNFORD_2[0], TARNFORD_2[1] + " Wexby crews helped.", published="2024-05-08")
    assert rebuilt.add_batch([extra]) == [ids[1]]


def test_features_mark_entities_and_numbers_but_not_sentence_starts() -> None:
    counts = doc_features("Warehouse blaze", "Crews fought the fire. Ada Morrow said 400 tonnes burned.")
    assert counts["e:ada_morrow"] == 1
    assert counts["n:400"] == 1
    assert "e:crews" not in counts
    assert counts["crew"] == 1


def test_options_reject_nonsense() -> None:
    with pytest.raises(ValueError, match="threshold"):
        GroupOptions(threshold=1.5)
    with pytest.raises(ValueError, match="window_days"):
        GroupOptions(window_days=-1)


def _jsonl(rows: list) -> str:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n"


def test_group_jsonl_keeps_input_order_and_reports_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    path.write_text(_jsonl([
        {"id": "b1", "title": BRENNICK_1[0], "text": BRENNICK_1[1], "published": "2024-05-07"},
        "{not json",
        {"id": "t1", "title": TARNFORD_1[0], "text": TARNFORD_1[1]},
        {"title": "no id", "text": "text"},
        {"id": "b2", "title": BRENNICK_2[0], "text": BRENNICK_2[1]},
        {"id": "empty", "title": "", "text": "  "},
        {"id": "t2", "title": TARNFORD_2[0], "text": TARNFORD_2[1]},
    ]), encoding="utf-8")
    rows = list(group_jsonl(str(path)))
    assert [r.get("id") for r in rows] == ["b1", None, "t1", None, "b2", "empty", "t2"]
    assert "error" in rows[1] and rows[1]["line"] == 2
    assert "error" in rows[3] and "error" in rows[5]
    assert rows[0]["story"] == rows[4]["story"] != rows[2]["story"] == rows[6]["story"]


def test_group_jsonl_reads_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _jsonl([{"id": 1, "title": BUDGET[0], "text": BUDGET[1]}])
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    rows = list(group_jsonl("-"))
    assert rows == [{"id": "1", "story": rows[0]["story"]}]
    assert str(rows[0]["story"]).startswith("story-")


def test_group_jsonl_is_deterministic(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(_jsonl([{"id": k, "title": t, "text": x} for k, (t, x) in
                            [("b1", BRENNICK_1), ("t1", TARNFORD_1), ("b2", BRENNICK_2)]]), encoding="utf-8")
    assert list(group_jsonl(str(path))) == list(group_jsonl(str(path)))


def test_top_entities_prefer_full_names_over_their_parts() -> None:
    index = StoryIndex()
    story_id = index.add_batch(_docs()[:1])[0]
    top = index.stories[story_id].top_entities(4)
    assert "ada morrow" in top
    assert "morrow" not in top and "ada" not in top


# Two earthquakes of the same kind on the same days in two countries, reported several times each.
QUAKE_A = [
    ("Quake of magnitude 6.4 strikes Vornland, 23 dead",
     "An earthquake of magnitude 6.4 struck the Vornland town of Esker Vale on Sunday, killing 23 people. "
     "Vornland's civil defence chief Petra Lind said 140 houses collapsed in Esker Vale and nearby Dunmoor."),
    ("Esker Vale counts its dead after 6.4 earthquake",
     "Rescuers in Esker Vale pulled survivors from rubble after the magnitude 6.4 earthquake. "
     "Petra Lind of Vornland's civil defence put the toll at 23 and said Dunmoor lost its school."),
    ("Vornland earthquake: 23 killed, 140 homes destroyed",
     "The 6.4 magnitude earthquake in Vornland killed 23 people in Esker Vale and Dunmoor, Petra Lind said, "
     "and 140 homes were destroyed. Aftershocks shook Esker Vale overnight."),
]
QUAKE_B = [
    ("Magnitude 5.1 earthquake hits Caldera Bay in Ostrava Islands, 4 dead",
     "An earthquake of magnitude 5.1 hit Caldera Bay in the Ostrava Islands on Sunday, killing 4 people. "
     "Governor Tomas Reyne said the harbour wall at Caldera Bay cracked and 12 boats sank."),
    ("Caldera Bay earthquake kills 4",
     "Governor Tomas Reyne said 4 people died when the magnitude 5.1 earthquake hit Caldera Bay. "
     "Twelve boats sank in the Ostrava Islands harbour, and 12 fishermen were rescued."),
    ("Ostrava Islands: 5.1 quake cracks Caldera Bay harbour",
     "The 5.1 earthquake that killed 4 people in Caldera Bay cracked the harbour wall, Governor Tomas Reyne "
     "said. The Ostrava Islands government sent engineers to Caldera Bay."),
]


def _quake_docs() -> list:
    rows = [(f"a{i}", a) for i, a in enumerate(QUAKE_A)] + [(f"b{i}", b) for i, b in enumerate(QUAKE_B)]
    order = [0, 3, 1, 4, 2, 5]
    return [make_doc(rows[i][0], *rows[i][1]) for i in order]


def test_batch_keeps_two_earthquakes_apart_and_each_together() -> None:
    docs = _quake_docs()
    stories = dict(zip([d.key for d in docs], cluster_batch(docs), strict=True))
    assert stories["a0"] == stories["a1"] == stories["a2"]
    assert stories["b0"] == stories["b1"] == stories["b2"]
    assert stories["a0"] != stories["b0"]


def test_batch_story_ids_come_from_the_first_member() -> None:
    docs = _quake_docs()
    stories = cluster_batch(docs)
    assert stories[0] == story_id_for(docs[0].key)
    assert stories[1] == story_id_for(docs[1].key)
    assert cluster_batch(docs) == stories
    assert cluster_batch([]) == []
    assert cluster_batch(docs[:1]) == [story_id_for(docs[0].key)]


def test_batch_separates_the_same_words_far_apart_in_time() -> None:
    early = make_doc("e", *BRENNICK_1, published="2024-05-07")
    late = make_doc("l", *BRENNICK_2, published="2024-08-30")
    again = make_doc("m", *BRENNICK_2, published="2024-05-08")
    stories = cluster_batch([early, late, again], GroupOptions(window_days=3))
    assert stories[0] == stories[2] != stories[1]


def test_group_jsonl_falls_back_to_the_incremental_index_above_the_batch_limit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(_jsonl([{"id": d.key, "title": t, "text": x} for d, (t, x) in
                            zip(_quake_docs(), [QUAKE_A[0], QUAKE_B[0], QUAKE_A[1], QUAKE_B[1], QUAKE_A[2], QUAKE_B[2]],
                                strict=True)]), encoding="utf-8")
    calls: list[int] = []
    real = group_module.cluster_batch
    monkeypatch.setattr(group_module, "cluster_batch", lambda docs, options: calls.append(len(docs)) or real(docs, options))
    batch = list(group_jsonl(str(path)))
    assert calls == [6]
    incremental = list(group_jsonl(str(path), GroupOptions(batch_limit=4)))
    assert calls == [6]
    assert [r["id"] for r in incremental] == [r["id"] for r in batch]
    assert len({r["story"] for r in batch}) == 2
    assert all("story" in r for r in incremental)


def test_batch_options_reject_nonsense() -> None:
    with pytest.raises(ValueError, match="split_threshold"):
        GroupOptions(split_threshold=0.0)
    with pytest.raises(ValueError, match="batch_limit"):
        GroupOptions(batch_limit=-1)


def test_small_fragments_fold_into_their_nearest_part_above_the_merge_threshold() -> None:
    import numpy as np

    # Parts {0,1,2}, {3,4,5}, lone 6 (close to the first), lone 7 (close to nothing).
    similarity = np.full((8, 8), 0.01)
    similarity[np.ix_([0, 1, 2], [0, 1, 2])] = 0.5
    similarity[np.ix_([3, 4, 5], [3, 4, 5])] = 0.5
    similarity[6, [0, 1, 2]] = similarity[[0, 1, 2], 6] = 0.08
    similarity[6, [3, 4, 5]] = similarity[[3, 4, 5], 6] = 0.03
    parts = [[0, 1, 2], [3, 4, 5], [6], [7]]
    merged = group_module._merge_fragments(parts, similarity, 0.05, 1)
    assert merged == [[0, 1, 2, 6], [3, 4, 5], [7]]
    assert group_module._merge_fragments(parts, similarity, 0.1, 1) == parts
    # A part larger than merge_size stays on its own however close it is.
    assert group_module._merge_fragments([[0, 1], [2, 6]], similarity, 0.05, 1) == [[0, 1], [2, 6]]
    assert group_module._merge_fragments([[0, 1], [2, 6]], similarity, 0.05, 2) == [[0, 1, 2, 6]]


def test_merge_options_reject_nonsense() -> None:
    with pytest.raises(ValueError, match="merge_threshold"):
        GroupOptions(merge_threshold=1.0)
    with pytest.raises(ValueError, match="merge_size"):
        GroupOptions(merge_size=0)


# --------------------------------------------------------------------------- consolidation


def test_regroup_keeps_the_ids_of_the_stories_it_confirms() -> None:
    docs = _quake_docs()
    current = ["story-x"] * 3 + ["story-y"] * 3  # a0 b0 a1 | b1 a2 b2: both placements half wrong
    regrouped = dict(zip([d.key for d in docs], group_module.regroup(docs, current), strict=True))
    assert regrouped["a0"] == regrouped["a1"] == regrouped["a2"] == "story-x"
    assert regrouped["b0"] == regrouped["b1"] == regrouped["b2"] == "story-y"


def test_regroup_gives_a_new_split_a_fresh_id_and_copies_follow_their_original() -> None:
    docs = _quake_docs()
    copy = make_doc("b0-copy", *QUAKE_A[0])  # the text of a0 under another key, marked as copying b0
    current = ["story-x"] * 7
    follows = [None] * 6 + [1]
    taken = {"story-x", story_id_for("a0")}
    regrouped = group_module.regroup(docs + [copy], current, follows=follows, taken=taken)
    assert regrouped[6] == regrouped[1]  # the copy goes with b0, not with a0 whose text it has
    assert regrouped[1] == "story-x"  # the half with the copy shares more with story-x: it keeps the id
    fresh = regrouped[0]
    assert fresh not in taken and fresh.startswith("story-")  # story_id_for("a0") is taken
    assert regrouped == [fresh, "story-x", fresh, "story-x", fresh, "story-x", "story-x"]
    assert group_module.regroup(docs + [copy], current, follows=follows, taken=taken) == regrouped
    assert group_module.regroup(docs + [copy], current, follows=follows)[0] == story_id_for("a0")


def test_regroup_breaks_ties_for_the_older_story() -> None:
    docs = [make_doc(f"a{i}", *a) for i, a in enumerate(QUAKE_A)]
    # One article in each of three stories; the story met first keeps its id.
    assert group_module.regroup(docs, ["story-c", "story-a", "story-b"]) == ["story-c"] * 3
    with pytest.raises(ValueError, match="one current story id per document"):
        group_module.regroup(docs, ["story-c"])


def test_rebuild_moves_members_and_neighbours_find_the_other_half_of_an_event() -> None:
    index = StoryIndex()
    docs = _quake_docs()
    index.count(docs)
    vectors = [index.vectorize(doc) for doc in docs]
    for doc, vector, story_id in zip(docs, vectors, ["s1", "s2", "s3", "s2", "s1", "s2"], strict=True):
        index.restore(doc, story_id, vector)
    assert "s3" in index.neighbours("s1")  # a1 alone in s3, a0 and a2 in s1
    chosen, left_out = group_module.consolidation_set(index, ["s3"], limit=100)
    assert chosen[0] == "s3" and "s1" in chosen and left_out == []
    assert group_module.consolidation_set(index, ["s2", "s3"], limit=2) == (["s3"], ["s2"])
    index.rebuild({"s1": [(docs[i], vectors[i]) for i in (0, 2, 4)], "s3": []})
    assert "s3" not in index.stories and index.stories["s1"].size == 3
    fresh = StoryIndex()
    fresh.count(docs)
    for i in (0, 2, 4):
        fresh.restore(docs[i], "s1", vectors[i])
    assert index.stories["s1"].centroid == fresh.stories["s1"].centroid
    assert all("s3" not in posting for posting in index._postings.values())


def test_consolidation_options() -> None:
    options = GroupOptions(consolidate_merge_threshold=0.07)
    assert options.consolidation().merge_threshold == 0.07
    assert options.consolidation().batch_threshold == options.batch_threshold
    with pytest.raises(ValueError, match="consolidate_merge_threshold"):
        GroupOptions(consolidate_merge_threshold=1.0)
    with pytest.raises(ValueError, match="consolidate_limit"):
        GroupOptions(consolidate_limit=-1)


# --------------------------------------------------------------------------- titles from text


def test_title_from_text_picks_the_opening_sentence_most_articles_share() -> None:
    from accord.group import title_from_text

    texts = [
        "Harbour fire\n\nA fire at a Lowhaven warehouse injured 14 people on Sunday night. Crews came.",
        "Fourteen people were hurt when a warehouse on Marrow Quay in Lowhaven caught fire. More later.",
        "The mayor of Carrick opened a new library on Monday morning. It has 4,000 books.",
        "A warehouse fire in Lowhaven injured 14 people. Crews worked all night.",
    ]
    assert title_from_text(texts) == "A warehouse fire in Lowhaven injured 14 people"
    assert title_from_text(["", "Short line only"]) is None


def test_title_from_text_is_cut_at_a_word_boundary() -> None:
    from accord.group import title_from_text

    long = ("Fire crews from six stations spent the whole of Sunday night tackling a blaze that tore through "
            "a cold-storage warehouse on Marrow Quay.")
    title = title_from_text([long], max_chars=60)
    assert title == "Fire crews from six stations spent the whole of Sunday night…"
    assert len(title) <= 61


def test_a_story_without_headlines_is_titled_from_its_text() -> None:
    from accord.models import Article
    from accord.pipeline import story_title

    articles = [Article(id="a", title="", text="A warehouse fire in Lowhaven injured 14 people. Crews came."),
                Article(id="b", title=" ", text="Fourteen people were hurt in a Lowhaven warehouse fire on Sunday.")]
    assert story_title(articles) == "A warehouse fire in Lowhaven injured 14 people"
