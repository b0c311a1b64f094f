"""The KPI's arithmetic, with the exact boundaries worked out by hand."""

import pytest

from kpi import rules


def test_milestones_are_thirds_of_sixty_percent():
    assert [rules.milestone_pct(k) for k in (1, 2, 3)] == [20.0, 40.0, 60.0]


@pytest.mark.parametrize(
    ("active", "base", "k", "met", "needed"),
    [
        # base 100: 20 / 40 / 60 clients exactly meet the milestone ("не менее" is ≥)
        (20, 100, 1, True, 0),
        (19, 100, 1, False, 1),
        (40, 100, 2, True, 0),
        (39, 100, 2, False, 1),
        (60, 100, 3, True, 0),
        (59, 100, 3, False, 1),
        # base 7: 60 % is 4.2 clients → 5 needed; 20 % is 1.4 → 2; 40 % is 2.8 → 3
        (4, 7, 3, False, 1),
        (5, 7, 3, True, 0),
        (1, 7, 1, False, 1),
        (2, 7, 1, True, 0),
        (3, 7, 2, True, 0),
        # base 1, 2 clients talked to (the seed's table): 200 % meets everything
        (2, 1, 3, True, 0),
        (0, 0, 3, True, 0),
    ],
)
def test_milestone_met_and_clients_needed(active, base, k, met, needed):
    assert rules.milestone_met(active, base, k) is met
    assert rules.clients_needed(active, base, k) == needed


def test_float_trap_is_avoided():
    # 0.6 * 5 = 3.0000000000000004 in floats; the integer rule says 3 of 5 meets 60 %
    assert rules.milestone_met(3, 5, 3)
    assert rules.milestone_count(5, 3) == 3
    # 20 % of 15 = 3 exactly; 2 is one short
    assert rules.milestone_count(15, 1) == 3
    assert rules.clients_needed(2, 15, 1) == 1


def test_month_out_of_range():
    with pytest.raises(ValueError):
        rules.milestone_pct(4)


@pytest.mark.parametrize(
    ("text", "is_1c"),
    [("Клиенты 1С", True), ("клиенты 1c", True), ("Прочие клиенты", False), (None, True), ("1С:ИТС", True)],
)
def test_client_type(text, is_1c):
    assert rules.is_1c_client_type(text) is is_1c
