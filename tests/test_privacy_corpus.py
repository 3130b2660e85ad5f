"""Every door of tests/privacy_corpus.py through the whole check: the one secret planted in a
real file gives exactly the one expected problem — code, place, sheet, row, column and the
masked value — and nothing of the secret in any message; and files whose every door holds
texts that are not personal data pass untouched."""

import json
from datetime import date

import pytest

from data_sources.intake import check_upload
from data_sources.organisations import Registry
from settings import Settings
from tests.privacy_corpus import clean_ods, clean_xls, clean_xlsx, corpus

REGISTRY = Registry(names={"aurinko": "Aurinko ry"}, aliases={})
CASES = corpus()
PERSONAL_CODES = ("personal_data", "possible_name", "possible_address")


def check(file_name: str, data: bytes):
    return check_upload(file_name, data, registry=REGISTRY, uploader_org="aurinko",
                        today=date(2025, 7, 1), settings=Settings())


def answer(problem) -> tuple:
    return (problem.code, problem.params.get("place", "cell"), problem.sheet, problem.row, problem.column,
            problem.value)


@pytest.fixture(scope="module", params=CASES, ids=[case.name for case in CASES])
def checked(request):
    return request.param, check(request.param.file_name, request.param.data)


def test_the_one_secret_gives_the_one_expected_problem(checked):
    case, result = checked
    found = [answer(p) for p in result.errors + result.warnings if p.code in PERSONAL_CODES]
    assert found == [case.expected]


def test_nothing_else_is_wrong_with_the_file(checked):
    case, result = checked
    others = [(p.code, p.sheet, p.row, p.column, p.value) for p in result.errors + result.warnings
              if p.code not in PERSONAL_CODES and p.code != "unknown_column"]
    assert others == []
    assert result.ok == (case.expected[0] != "personal_data")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_message_names_the_place_and_masks_the_secret(checked, lang):
    case, result = checked
    [problem] = [p for p in result.errors + result.warnings if p.code in PERSONAL_CODES]
    message = problem.message(lang)
    assert case.expected[-1] in message
    if problem.sheet and not problem.params.get("in_csv"):   # a CSV's one sheet is the file: no tab is named
        assert problem.sheet in message
    if problem.row:
        assert f"{problem.column}{problem.row}" in message or str(problem.row) in message
    shown = json.dumps(result.summary(lang), ensure_ascii=False) + json.dumps(problem.params, default=str)
    assert [secret for secret in case.secrets if secret in shown] == []


def test_the_corpus_opens_every_place_a_text_can_stand_in():
    from data_sources.file_texts import PLACES

    assert {case.expected[1] for case in CASES} == {"cell", "file_name", *PLACES}


@pytest.mark.parametrize("file_name, make", [
    ("toiminta.xlsx", clean_xlsx), ("toiminta.ods", clean_ods), ("toiminta.xls", clean_xls),
])
def test_a_file_with_texts_in_every_door_but_no_personal_data_passes(file_name, make):
    result = check(file_name, make())
    assert [(p.code, p.params.get("place"), p.value) for p in result.errors + result.warnings
            if p.code != "unknown_column"] == []
    assert result.ok
