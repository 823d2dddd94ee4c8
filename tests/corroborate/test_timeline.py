"""The timeline: dated events merged across articles, ordered by date."""

from __future__ import annotations

import pytest

from accord.corroborate.timeline import build_timeline
from tests.corroborate.builders import article


@pytest.mark.slow
def test_timeline_merges_the_same_event_and_orders_by_date() -> None:
    a = article("a", "The Lisk tunnel flooded on Tuesday. Repairs began on Thursday.",
                times=[dict(text="on Tuesday", value="2024-02-06", event="the Lisk tunnel flooded"),
                       dict(text="on Thursday", value="2024-02-08", event="repairs began")])
    b = article("b", "Since January, three storms hit the coast. Water filled the Lisk tunnel on Tuesday.",
                times=[dict(text="Since January", value="2024-01-01/2024-02-07",
                            event="three storms hit the coast"),
                       dict(text="on Tuesday", value="2024-02-06", event="water filled the Lisk tunnel")])
    timeline = build_timeline([a, b])
    assert [e.date for e in timeline] == ["2024-01-01/2024-02-07", "2024-02-06", "2024-02-08"]
    flood = timeline[1]
    assert flood.articles == ("a", "b")
    assert "Lisk tunnel" in flood.event
    assert timeline[2].articles == ("a",)


def test_no_dated_events_make_an_empty_timeline() -> None:
    a = article("a", "Nothing happened.", times=[dict(text="Nothing", value=None, event="nothing happened")])
    assert build_timeline([a]) == ()
