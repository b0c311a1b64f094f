"""The problem catalogue: every code has one class and one Russian text; problems are picklable values."""

from __future__ import annotations

import pickle
import string

from kpi import errors as E
from kpi import texts


def test_every_code_has_one_class_and_one_text():
    assert set(E.REGISTRY) == set(texts.PROBLEMS)
    for code, cls in E.REGISTRY.items():
        assert cls.code == code
        assert cls.severity in ("error", "warning", "skipped", "merged")


def test_codes_are_stable_kebab_case():
    allowed = set(string.ascii_lowercase + string.digits + "-")
    for code in texts.PROBLEMS:
        assert set(code) <= allowed and not code.startswith("-") and not code.endswith("-"), code


def test_problem_is_a_picklable_value_with_location():
    p = E.FlagInvalid("a.csv", row=5, column="Коммуникации в отчетном месяце", value="Дв")
    assert p == pickle.loads(pickle.dumps(p))
    assert hash(p) == hash(E.FlagInvalid("a.csv", row=5, column="Коммуникации в отчетном месяце", value="Дв"))
    assert p != E.FlagInvalid("a.csv", row=6, column="Коммуникации в отчетном месяце", value="Дв")
    j = p.to_json()
    assert (j["code"], j["file"], j["sheet"], j["row"], j["column"]) == (
        "flag-invalid", "a.csv", None, 5, "Коммуникации в отчетном месяце")
    assert "Дв" in j["message"] and "a.csv" in str(p)


def test_raised_error_carries_its_problem_through_pickle():
    err = E.fail("file-empty", "пусто.csv")
    back = pickle.loads(pickle.dumps(err))
    assert isinstance(back, E.InputError) and back.code == "file-empty" and back.file == "пусто.csv"


def test_templates_format_with_their_own_fields_only():
    for code, template in texts.PROBLEMS.items():
        fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
        E.make(code, "x.csv", **dict.fromkeys(fields, "1"))  # no KeyError, no stray field
