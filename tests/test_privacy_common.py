"""What every letter says is not a private value's distinctive part: runs of common words
("number of", "his son") and years are not searched alone; names and PINs still are. The
example workspace, whose private notes share such words with its bodies, builds."""
from __future__ import annotations

import pytest
from test_privacy_parts import Value

from clarion.output import privacy

NOTE = "Phone number of his son, Rauf Aliyev; details of his 2012 head injury; PIN 4821"


@pytest.fixture(scope="module")
def secrets() -> privacy.Secrets:
    return privacy.secret_forms([Value("c", "private.family", "cases/c.yaml", NOTE)],
                                ["Intigam Aliyev, a lawyer, was arrested in 2014."])


@pytest.mark.parametrize("text", [
    "The number of people held on political charges is about 300.",
    "He was arrested in front of his son.",
    "Since the Eurovision Song Contest in 2012, the authorities have stepped up arrests.",
    "The details of the case were published.",
])
def test_common_words_and_years_pass(secrets, text):
    assert privacy.leaks([text], secrets) == []


@pytest.mark.parametrize("text", [
    "Call Rauf Aliyev today.",               # two words that are not common: a name
    "Her code is 4821.",                      # a number that is not a year
    "about his head injury",                  # a run the public text does not show
])
def test_distinctive_parts_are_still_found(secrets, text):
    assert privacy.leaks([text], secrets)
    assert [(s.case, s.field) for s in privacy.found_in([text], secrets)] == \
        [("c", "private.family")]
