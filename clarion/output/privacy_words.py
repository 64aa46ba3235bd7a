"""What is too common to be a distinctive part of a private value: words such as `of`, `his`,
`de`, `и`, and years."""
from __future__ import annotations

from .privacy_fold import fold

#: articles, pronouns, prepositions, conjunctions and auxiliaries of the languages Clarion
#: writes in: a run of a private value is searched only when at least two of its words are
#: not among them ("number of" and "his son" are in every other letter; "Sister Leyla" is not)
_COMMON = {
    "en": "a an and are as at be been but by for from had has have he her hers him his i in "
          "into is it its me my no not of on or our she so than that the their them they this "
          "to up us was we were what when which who whom will with you your",
    "fr": "a au aux avec ce ces dans de des du elle en est et il ils je la le les leur leurs "
          "lui ma mais me mes mon ne ni nous on ou par pas pour qu que qui sa se ses son sur "
          "ta te tes ton tu un une vous y",
    "ru": "а без бы был была были в во вы да для до его ее её же за и из или им их к как ко "
          "ли мы на не него нет ни но о об он она они от по при с со то у что это я",
    "az": "amma bir bu da də hər ilə ki kimi o olan olaraq onlar onun ancaq və ya üçün",
    "de": "am an auch auf aus bei das dem den der des die ein eine einen einer er es für ihr "
          "im in ist mit nach nicht oder sein sie sind so und von vor wir zu zum zur",
}
COMMON_WORDS = frozenset(fold(word) for words in _COMMON.values() for word in words.split())


def distinctive(run: list[str]) -> bool:
    """Whether a run of folded words holds at least two that are not common words."""
    return sum(word not in COMMON_WORDS for word in run) >= 2


def a_year(digits: str) -> bool:
    """Whether a number of a private value reads as a year (1900–2099): letters name years
    all the time, so a year alone is not searched (the whole value still is)."""
    return len(digits) == 4 and 1900 <= int(digits) <= 2099
