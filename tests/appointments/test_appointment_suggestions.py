from datetime import date

from appointments.suggestions import DepositFact, VisitFacts, suggest

VISIT = date(2025, 10, 9)


def codes(**kw):
    return [s.code for s in suggest(VisitFacts(visit_day=VISIT, **kw))]


def test_nothing_is_suggested_without_a_reason():
    assert codes() == []


def test_an_expired_risk_assessment_is_renewed_at_this_visit():
    [suggestion] = suggest(VisitFacts(visit_day=VISIT, risk_assessment_expires_on=date(2025, 9, 1)))

    assert suggestion.code == "risk_assessment_expired"
    assert suggestion.params == {"date": "2025-09-01"}


def test_a_risk_assessment_expiring_within_30_days_is_mentioned_and_a_later_one_is_not():
    assert codes(risk_assessment_expires_on=date(2025, 11, 8)) == ["risk_assessment_expiring"]
    assert codes(risk_assessment_expires_on=date(2025, 11, 9)) == []


def test_a_missing_risk_assessment_matters_only_for_services_that_need_one():
    assert codes(service_needs_risk_assessment=True) == ["risk_assessment_missing"]
    assert codes(service_needs_risk_assessment=False) == []


def test_a_time_deposit_maturing_within_a_week_of_the_visit_is_mentioned():
    deposits = (DepositFact("3-year CD", date(2025, 10, 20)), DepositFact("1-year CD", date(2025, 10, 12)))

    [suggestion] = suggest(VisitFacts(visit_day=VISIT, deposits=deposits))

    assert suggestion.code == "deposit_matures"
    assert suggestion.params == {"product": "1-year CD", "date": "2025-10-12"}


def test_a_deposit_maturing_in_three_weeks_is_not_mentioned():
    assert codes(deposits=(DepositFact("CD", date(2025, 10, 30)),)) == []


def test_never_more_than_two_suggestions_and_the_most_important_first():
    found = codes(
        risk_assessment_expires_on=date(2025, 1, 1),
        id_document_expires_on=date(2025, 10, 1),
        deposits=(DepositFact("CD", VISIT),),
    )

    assert found == ["risk_assessment_expired", "id_document_expiring"]


def test_a_dismissed_rule_stays_quiet():
    assert codes(risk_assessment_expires_on=date(2025, 1, 1), dismissed=frozenset({"risk_assessment"})) == []
    assert codes(deposits=(DepositFact("CD", VISIT),), dismissed=frozenset({"deposit_matures"})) == []
