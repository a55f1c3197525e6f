from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from qinshui_station import services as core_services
from qinshui_station.models import AuditEntry, Notification
from qinshui_station.workflow import TransitionRefused
from reviews import services
from reviews.models import ClaimedCount, RubricVersion
from reviews.rubric_data import RUBRIC_2023, load_rubric
from tests.reviews import factories as rf


def test_a_round_lists_every_station_owing_an_evaluation_and_marks_the_final_acceptance(rubric, hr_user):
    first = rf.first_year_station(2031)  # recognized 2030-06-01: evaluated 2031 and 2032
    final = rf.final_year_station(2031)  # recognized 2029-12-10, period ends 2031-12-09
    rf.first_year_station(2032)  # recognized 2031: owes nothing yet in 2031
    rf.final_year_station(2030)  # period ended 2030: owes nothing in 2031
    revoked = rf.first_year_station(2031)
    core_services.revoke_workstation(workstation_id=revoked.pk, actor=hr_user, ground="fraud", facts="材料造假")
    round_ = services.open_round(actor=hr_user, year=2031)
    listed = {e.workstation_id: e.is_final_acceptance for e in round_.evaluations.all()}
    assert listed == {first.pk: False, final.pk: True}
    assert first.evaluation_years() == [2031, 2032]


def test_the_window_defaults_to_march_and_hr_can_change_it(rubric, hr_user):
    round_ = services.open_round(actor=hr_user, year=2031)
    assert (round_.opens_on, round_.closes_on) == (date(2031, 3, 1), date(2031, 3, 31))
    services.update_round_window(actor=hr_user, round_id=round_.pk, opens_on=date(2031, 3, 1),
                                 closes_on=date(2031, 4, 15))
    round_.refresh_from_db()
    assert round_.closes_on == date(2031, 4, 15)


def test_a_round_keeps_its_rubric_version_when_a_newer_one_is_added(rubric, hr_user):
    round_ = services.open_round(actor=hr_user, year=2031)
    load_rubric({**RUBRIC_2023, "code": "2027", "name": "修订版"})
    round_.refresh_from_db()
    assert round_.rubric.code == "2023"
    assert RubricVersion.objects.order_by("-code").first().code == "2027"


def test_only_hr_opens_a_round(rubric, unit_user):
    with pytest.raises(PermissionDenied):
        services.open_round(actor=unit_user, year=2031)


def test_opening_notifies_the_units_that_owe_an_evaluation(rubric, hr_user):
    station = rf.first_year_station(2031)
    user = rf.unit_user_of(station)
    services.open_round(actor=hr_user, year=2031)
    assert Notification.objects.get(recipient=user).message == \
        "2031年度技师工作站评估已开始，请于2031-03-01至2031-03-31提交年度评估申请表。"


def test_self_score_computes_counted_items_and_caps_the_bonus(rubric, hr_user):
    round_ = rf.open_round(hr_user)
    evaluation = rf.evaluation_in_round(round_)
    judged, counts = rf.sheet(rubric, system="10", support="12", mentoring="20", exchange="9.5", inventions=2,
                              utility=1, awards=(0, 1, 0, 0), promoted=1, bonus=(2, 1, 1))
    evaluation = rf.file_evaluation(evaluation, rf.unit_user_of(evaluation.workstation), judged=judged, counts=counts,
                                    submit=False)
    # judged 51.5 + patents 8 (3+3+2) + awards 2 + promotion 5 = 66.5; bonus 3+3+2+3 = 11 → 10
    assert (evaluation.self_base, evaluation.self_bonus, evaluation.self_total) == (
        Decimal("66.50"), Decimal("10.00"), Decimal("76.50"))
    assert ClaimedCount.objects.filter(evaluation=evaluation).count() == len(rubric.rules)


def test_a_self_score_above_the_items_maximum_is_refused_at_the_field(rubric, hr_user):
    round_ = rf.open_round(hr_user)
    evaluation = rf.evaluation_in_round(round_)
    item = rubric.judged_items[0]  # 2 points
    with pytest.raises(ValidationError) as info:
        services.save_evaluation_form(actor=rf.unit_user_of(evaluation.workstation), evaluation_id=evaluation.pk,
                                      contact_person="王芳", contact_title="科长", contact_phone="13835600001",
                                      work_summary="x", self_points={item.pk: Decimal("2.5")}, claimed={})
    assert f"item_{item.pk}" in info.value.message_dict


def test_submission_needs_every_judged_item_self_scored(rubric, hr_user):
    round_ = rf.open_round(hr_user)
    evaluation = rf.evaluation_in_round(round_)
    unit = rf.unit_user_of(evaluation.workstation)
    partial = {rubric.judged_items[0].pk: Decimal("2")}
    rf.file_evaluation(evaluation, unit, judged=partial, counts={}, submit=False)
    with pytest.raises(ValidationError) as info:
        services.evaluation_transition(evaluation_id=evaluation.pk, actor=unit, to="submitted")
    assert "self_scores" in info.value.message_dict


def test_submission_outside_the_window_is_refused(rubric, hr_user):
    today = timezone.localdate()
    round_ = rf.open_round(hr_user, opens_on=today + timedelta(days=1), closes_on=today + timedelta(days=30))
    evaluation = rf.evaluation_in_round(round_)
    unit = rf.unit_user_of(evaluation.workstation)
    rf.file_evaluation(evaluation, unit, submit=False)
    with pytest.raises(TransitionRefused) as info:
        services.evaluation_transition(evaluation_id=evaluation.pk, actor=unit, to="submitted")
    assert "不在申报时间内" in str(info.value)


def test_hr_returns_with_a_reason_and_the_unit_resubmits(rubric, hr_user):
    round_ = rf.open_round(hr_user)
    evaluation = rf.evaluation_in_round(round_)
    unit = rf.unit_user_of(evaluation.workstation)
    rf.file_evaluation(evaluation, unit)
    with pytest.raises(TransitionRefused):
        services.evaluation_transition(evaluation_id=evaluation.pk, actor=hr_user, to="returned")
    services.evaluation_transition(evaluation_id=evaluation.pk, actor=hr_user, to="returned", reason="缺少专利证书")
    evaluation.refresh_from_db()
    assert evaluation.state == "returned"
    services.evaluation_transition(evaluation_id=evaluation.pk, actor=unit, to="submitted")
    evaluation.refresh_from_db()
    assert evaluation.state == "submitted"
    assert list(AuditEntry.objects.filter(object_type="reviews.evaluation", action="transition")
                .order_by("id").values_list("from_state", "to_state", "reason")) == [
        ("draft", "submitted", ""), ("submitted", "returned", "缺少专利证书"), ("returned", "submitted", "")]


def test_another_unit_cannot_fill_the_form(rubric, hr_user, other_unit_user):
    round_ = rf.open_round(hr_user)
    evaluation = rf.evaluation_in_round(round_)
    with pytest.raises(PermissionDenied):
        rf.file_evaluation(evaluation, other_unit_user, submit=False)


def test_a_submitted_form_cannot_be_changed_by_the_unit(rubric, hr_user):
    round_ = rf.open_round(hr_user)
    evaluation = rf.evaluation_in_round(round_)
    unit = rf.unit_user_of(evaluation.workstation)
    rf.file_evaluation(evaluation, unit)
    with pytest.raises(TransitionRefused):
        rf.file_evaluation(evaluation, unit, submit=False)


def test_evidence_must_be_pdf_jpeg_or_png(rubric, hr_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    round_ = rf.open_round(hr_user)
    evaluation = rf.evaluation_in_round(round_)
    unit = rf.unit_user_of(evaluation.workstation)
    good = services.add_evaluation_attachment(actor=unit, evaluation_id=evaluation.pk,
                                              uploaded=SimpleUploadedFile("专利证书.pdf", b"%PDF-1.4 test"))
    assert (good.original_name, good.content_type) == ("专利证书.pdf", "application/pdf")
    with pytest.raises(ValidationError) as info:
        services.add_evaluation_attachment(actor=unit, evaluation_id=evaluation.pk,
                                           uploaded=SimpleUploadedFile("evil.pdf", b"MZ\x90\x00"))
    assert "file" in info.value.message_dict


def test_a_refused_window_shows_the_round_again_with_the_dates_as_typed(client, rubric, hr_user):
    round_ = rf.open_round(hr_user)
    client.force_login(hr_user)
    url = reverse("reviews:round_window", args=[round_.pk])
    response = client.post(url, {"opens_on": "2031-03-31", "closes_on": "2031-03-01"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="2031-03-31"' in html and 'value="2031-03-01"' in html
    round_.refresh_from_db()
    assert round_.opens_on != date(2031, 3, 31)
    ok = client.post(url, {"opens_on": "2031-03-01", "closes_on": "2031-03-31"})
    assert (ok.status_code, ok["Location"]) == (302, round_.get_absolute_url())
