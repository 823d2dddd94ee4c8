"""A folder of four unrelated short stories (invented), for tests of grouping before reporting.

A harbour fire and an oil leak in the same town, a café opening and a council budget:
ten articles in all, two or three per story, written as different outlets would.
"""

from __future__ import annotations

from pathlib import Path

#: File name -> text (first line is the title). The prefix names the story.
ARTICLES: dict[str, str] = {
    "fire_1_coastal-press.txt": """Fire guts warehouse on Marrow Quay
Fourteen people were injured when a fire tore through a cold-storage warehouse on Marrow Quay in Lowhaven harbour on Sunday night, the town's fire service said.
More than 60 firefighters fought the blaze, which sent black smoke over the harbour until the early hours of Monday.
Fire chief Dana Okafor said the roof of the warehouse collapsed shortly after midnight. "We were lucky the wind turned towards the sea," she said.
""",
    "fire_2_harbour-gazette.txt": """Fourteen hurt in Marrow Quay warehouse blaze
A blaze at a cold-storage warehouse on Marrow Quay injured fourteen people on Sunday night, Lowhaven Fire and Rescue Service said.
At least 65 firefighters from six stations were sent to the scene as flames spread along the quay.
Dana Okafor, the fire chief, said the warehouse roof fell in after midnight and that the cause of the fire was not yet known.
""",
    "fire_3_lowhaven-voice.txt": """Warehouse fire on Marrow Quay: eleven injured
Eleven people were injured in the fire at a Marrow Quay warehouse that started on Sunday night, Lowhaven officials said.
Firefighters worked through the night to stop the flames reaching a fuel store next to the warehouse.
Residents of the quay were told to keep their windows shut because of the smoke.
""",
    "oil_1_coastal-press.txt": """Oil leak closes Pellow Bay beaches
Beaches along Pellow Bay were closed on Tuesday after about 3,000 litres of diesel leaked from a broken pipeline at the Kestrel fuel terminal.
The Kestrel Energy company said engineers had sealed the pipeline by Tuesday afternoon and that booms had been laid across the mouth of the bay.
Environment officer Priya Hallam said seabirds coated in oil had been found near the terminal.
""",
    "oil_2_bay-observer.txt": """Diesel spill from Kestrel terminal pipeline
A pipeline at the Kestrel fuel terminal leaked about 3,000 litres of diesel into Pellow Bay on Tuesday, Kestrel Energy said.
Booms were laid across the bay and the beaches were closed to swimmers and dog walkers.
Priya Hallam of the environment agency said volunteers were cleaning oiled seabirds at a centre in Pellow.
""",
    "cafe_1_town-crier.txt": """New café opens in old Brindle Street bank
A café opened on Saturday in the former Brindle Street bank, with the old vault turned into a reading room.
Owner Marta Velasquez said the Copper Kettle café would serve coffee roasted in Lowhaven and cakes baked on site.
Queues stretched down Brindle Street on opening morning, and the first 100 customers were given free pastries.
""",
    "cafe_2_food-notes.txt": """Copper Kettle brings coffee to Brindle Street
Marta Velasquez has opened the Copper Kettle, a café in the old bank building on Brindle Street, where the vault is now a reading room full of second-hand books.
The café roasts its own coffee beans and bakes cinnamon buns every morning.
Velasquez said she had saved for six years to open the café.
""",
    "budget_1_town-crier.txt": """Council approves budget with higher parking fees
Lowhaven council approved its budget for next year on Wednesday, raising parking fees by 10 percent and cutting library opening hours.
Councillors voted 21 to 9 for the budget of 48 million pounds after a four-hour debate in the town hall.
Council leader Graham Pike said the parking fees would pay for repairs to the sea wall.
""",
    "budget_2_civic-record.txt": """Parking fees rise as councillors pass 48m budget
Councillors in Lowhaven passed a budget of 48 million pounds on Wednesday by 21 votes to 9.
The budget raises parking fees by a tenth and trims the opening hours of the town's three libraries.
Graham Pike, the council leader, told the chamber that the extra parking money would go on the sea wall.
""",
    "budget_3_lowhaven-voice.txt": """Library hours cut in council budget vote
Library users protested outside the town hall on Wednesday as Lowhaven council voted for a budget that cuts library opening hours.
The budget, passed by 21 votes to 9, also raises parking charges by 10 percent.
Council leader Graham Pike said the cuts were painful but that the sea wall could not wait.
""",
}

#: The story each article belongs to, by file name prefix.
STORIES = ("fire", "oil", "cafe", "budget")


def write_mixed(folder: Path) -> Path:
    """Write the ten articles into ``folder`` (created) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def story_of(article_id: str) -> str:
    """The story an article id belongs to ("fire_2_harbour-gazette" -> "fire")."""
    return article_id.split("_", 1)[0]
