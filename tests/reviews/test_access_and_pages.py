"""Who sees what (404 for the rest), and that every page renders for the people it is for."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from funding.models import Tranche
from qinshui_station.models import Revocation
from reviews import services
from reviews.models import LedgerEntry
from tests import factories as core
from tests.reviews import factories as rf


@pytest.fixture
def setup(rubric, hr_user, expert):
    round_ = rf.open_round(hr_user)
    evaluation = rf.evaluation_in_round(round_)
    unit = rf.unit_user_of(evaluation.workstation)
    rf.file_evaluation(evaluation, unit)
    assignment = services.assign_expert(actor=hr_user, evaluation_id=evaluation.pk, expert_id=expert.pk)
    return round_, evaluation, unit, assignment


def test_an_expert_opens_only_their_own_assignments(client, setup, hr_user):
    _round, evaluation, _unit, assignment = setup
    other = core.ExpertFactory()
    client.force_login(other)
    assert client.get(reverse("reviews:score", args=[assignment.pk])).status_code == 404
    assert client.get(reverse("reviews:attachment_file", args=[1])).status_code == 404
    client.force_login(assignment.expert)
    assert client.get(reverse("reviews:score", args=[assignment.pk])).status_code == 200


def test_an_expert_cannot_open_the_application_pages_or_the_round(client, setup):
    round_, evaluation, _unit, assignment = setup
    client.force_login(assignment.expert)
    assert client.get(reverse("reviews:evaluation_detail", args=[evaluation.pk])).status_code == 403
    assert client.get(reverse("reviews:round_detail", args=[round_.pk])).status_code == 403


def test_a_unit_sees_only_its_own_evaluations(client, setup, other_unit_user):
    _round, evaluation, unit, _assignment = setup
    client.force_login(other_unit_user)
    assert client.get(reverse("reviews:evaluation_detail", args=[evaluation.pk])).status_code == 404
    assert client.get(reverse("reviews:evaluation_edit", args=[evaluation.pk])).status_code == 404
    assert client.get(reverse("reviews:ledger", args=[evaluation.workstation_id])).status_code == 404
    client.force_login(unit)
    response = client.get(reverse("reviews:evaluation_detail", args=[evaluation.pk]))
    assert response.status_code == 200
    assert evaluation.workstation.name in response.content.decode()


def test_the_expert_sees_the_self_score_but_not_another_experts_score_before_submitting(client, setup, hr_user,
                                                                                         rubric):
    _round, evaluation, _unit, assignment = setup
    first = core.ExpertFactory(full_name="第一专家")
    judged, counts = rf.sheet(rubric, system="13.5", support="15", mentoring="25", exchange="15")
    rf.score(evaluation, first, hr_user, judged=judged, counts=counts)
    client.force_login(assignment.expert)
    page = client.get(reverse("reviews:score", args=[assignment.pk])).content.decode()
    assert "单位自评" in page
    assert "第一专家" not in page and "68.50" not in page
    judged2, counts2 = rf.sheet(rubric, **rf.FULL_JUDGED)
    services.save_expert_scores(actor=assignment.expert, assignment_id=assignment.pk, points=judged2, counts=counts2)
    services.submit_expert_scores(actor=assignment.expert, assignment_id=assignment.pk)
    page = client.get(reverse("reviews:score", args=[assignment.pk])).content.decode()
    assert "第一专家" in page and "68.50" in page


def test_an_expert_saves_a_sheet_through_the_form_and_a_bad_value_shows_at_its_field(client, setup, rubric):
    _round, _evaluation, _unit, assignment = setup
    client.force_login(assignment.expert)
    item = rubric.judged_items[0]
    response = client.post(reverse("reviews:score", args=[assignment.pk]), {f"item_{item.pk}": "2.3"})
    assert response.status_code == 400
    assert "is-invalid" in response.content.decode()
    response = client.post(reverse("reviews:score", args=[assignment.pk]), {f"item_{item.pk}": "1.5"})
    assert response.status_code == 302
    assert assignment.scores.get(item=item).points == Decimal("1.5")


def test_submitting_scores_needs_the_confirmation_box(client, setup, rubric):
    _round, _evaluation, _unit, assignment = setup
    judged, counts = rf.sheet(rubric, **rf.FULL_JUDGED)
    services.save_expert_scores(actor=assignment.expert, assignment_id=assignment.pk, points=judged, counts=counts)
    client.force_login(assignment.expert)
    client.post(reverse("reviews:score_submit", args=[assignment.pk]))
    assignment.refresh_from_db()
    assert assignment.state == "assigned"
    client.post(reverse("reviews:score_submit", args=[assignment.pk]), {"confirm": "1"})
    assignment.refresh_from_db()
    assert assignment.state == "submitted"


def test_hr_pages_render(client, setup, hr_user):
    round_, evaluation, _unit, _assignment = setup
    client.force_login(hr_user)
    for url in (reverse("reviews:round_list"), reverse("reviews:round_create"), round_.get_absolute_url(),
                evaluation.get_absolute_url(), reverse("reviews:round_grades", args=[round_.pk]),
                reverse("reviews:revoke", args=[evaluation.workstation_id]),
                reverse("workstation_detail", args=[evaluation.workstation_id]), reverse("home")):
        assert client.get(url).status_code == 200, url


def test_unit_pages_render(client, setup):
    _round, evaluation, unit, _assignment = setup
    client.force_login(unit)
    for url in (reverse("reviews:evaluation_list"), evaluation.get_absolute_url(),
                reverse("reviews:ledger", args=[evaluation.workstation_id]),
                reverse("workstation_detail", args=[evaluation.workstation_id]), reverse("home")):
        assert client.get(url).status_code == 200, url


def test_the_round_table_takes_the_same_number_of_queries_for_7_and_14_stations(client, rubric, hr_user, expert,
                                                                                 django_assert_num_queries):
    """(Both rounds have an excellent place, 1 and 2: the standing of a round with none reads no cut-off.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(hr_user)
    counts = []
    for size, year in ((7, 2061), (14, 2071)):
        round_ = rf.open_round(hr_user, year=year)
        for _ in range(size):
            rf.scored_evaluation(round_, hr_user, [expert], **rf.FULL_JUDGED)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(round_.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_experts_who_agree_to_the_point_show_a_spread_of_0_00_not_a_dash(client, rubric, hr_user, expert):
    """Two experts with the same total: the spread is 0.00 (it showed “—”, as if nobody had scored)."""
    round_ = rf.open_round(hr_user)
    evaluation = rf.scored_evaluation(round_, hr_user, [expert, core.ExpertFactory()], **rf.FULL_JUDGED)
    assert evaluation.expert_spread == Decimal("0.00")
    client.force_login(hr_user)
    html = client.get(round_.get_absolute_url()).content.decode()
    row = html[html.index(evaluation.workstation.name):]
    row = row[:row.index("</tr>")]
    cells = re.findall(r'<td class="text-end">([^<]*)</td>', row)
    assert cells[-1] == "0.00"


def test_hr_revokes_on_a_ground_of_article_ten_after_confirming(client, rubric, hr_user):
    station = rf.first_year_station(2031)
    rf.grant(station, hr_user)
    client.force_login(hr_user)
    url = reverse("reviews:revoke", args=[station.pk])
    data = {"ground": "leader_left", "facts": "领办人2026年8月调离，无人接替", "on": "2026-09-01"}
    client.post(url, data)
    assert not Revocation.objects.exists()
    response = client.post(url, {**data, "confirm": "1"})
    assert response.status_code == 302
    station.refresh_from_db()
    assert (station.state, station.revoked_on) == ("revoked", date(2026, 9, 1))
    assert Revocation.objects.get().ground == "leader_left"
    tranche = Tranche.objects.get(grant__workstation=station)
    assert (tranche.state, tranche.cancel_event) == ("cancelled", "revocation")
    client.logout()
    assert station.name not in client.get(reverse("public_workstations")).content.decode()


def test_failed_evaluation_is_not_a_ground_hr_can_pick(rubric, hr_user):
    from django.core.exceptions import ValidationError

    station = rf.first_year_station(2031)
    with pytest.raises(ValidationError) as info:
        services.revoke(actor=hr_user, workstation_id=station.pk, ground="failed_evaluation", facts="x",
                        on=date(2026, 9, 1))
    assert "ground" in info.value.message_dict


def test_revocation_during_a_round_withdraws_the_stations_evaluation(setup, hr_user):
    _round, evaluation, _unit, _assignment = setup
    services.revoke(actor=hr_user, workstation_id=evaluation.workstation_id, ground="deregistered",
                    facts="单位已注销", on=date(2026, 9, 1))
    evaluation.refresh_from_db()
    assert evaluation.state == "withdrawn"


def test_the_unit_records_its_ledger_with_a_photo(client, setup):
    _round, evaluation, unit, _assignment = setup
    client.force_login(unit)
    url = reverse("reviews:ledger", args=[evaluation.workstation_id])
    photo = SimpleUploadedFile("培训.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    response = client.post(url, {"kind": "trained", "occurred_on": "2026-05-10", "person_name": "张强",
                                 "occupation": "钳工", "result": "取得高级工证书", "files": [photo]})
    assert response.status_code == 302
    entry = LedgerEntry.objects.get()
    assert (entry.person_name, entry.attachments.get().original_name) == ("张强", "培训.png")


def test_a_trained_entry_needs_name_occupation_and_result(client, setup):
    _round, evaluation, unit, _assignment = setup
    client.force_login(unit)
    response = client.post(reverse("reviews:ledger", args=[evaluation.workstation_id]),
                           {"kind": "trained", "occurred_on": "2026-05-10", "person_name": "张强"})
    assert response.status_code == 400
    assert "培养骨干须填写姓名、职业（工种）和培养结果。" in response.content.decode()
    assert not LedgerEntry.objects.exists()


def test_a_refused_evidence_upload_shows_the_form_again_with_the_note_and_the_error(client, rubric, hr_user):
    round_ = rf.open_round(hr_user)
    evaluation = rf.evaluation_in_round(round_)
    unit_user = rf.unit_user_of(evaluation.workstation)
    client.force_login(unit_user)
    url = reverse("reviews:attachment_add", args=[evaluation.pk])
    response = client.post(url, {"note": "2026年技能竞赛获奖证书", "target": "",
                                 "file": SimpleUploadedFile("证书.pdf", b"not a pdf", content_type="application/pdf")})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="2026年技能竞赛获奖证书"' in html
    assert "文件“证书.pdf”不是PDF、JPEG或PNG文件（系统按文件内容识别，不看扩展名）。" in html
    assert evaluation.attachments.count() == 0
    good = client.post(url, {"note": "证书", "target": "", "file": SimpleUploadedFile(
        "证书.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf")})
    assert (good.status_code, good["Location"]) == (302, reverse("reviews:evaluation_edit", args=[evaluation.pk]))
    assert evaluation.attachments.count() == 1


def test_hr_evaluation_page_offers_the_experts_assign_form_accepts_and_lists_the_panel(client, setup, hr_user, expert):
    """The page writes the expert select from one query (selectors.evaluation_experts); it offers exactly the
    experts AssignForm accepts, labelled as the form labels them: not the station's unit's, not inactive, not
    assigned already."""
    from reviews import selectors
    from reviews.forms import AssignForm

    _round, evaluation, _unit, assignment = setup
    core.ExpertFactory(organization=evaluation.workstation.unit, full_name="本单位专家")
    core.ExpertFactory(is_active=False, full_name="停用专家")
    others = [core.ExpertFactory(full_name=name) for name in ("乙专家", "甲专家")]
    form_field = AssignForm(evaluation=evaluation).fields["expert"]
    expected = [(u.pk, form_field.label_from_instance(u)) for u in form_field.queryset]
    assigned, options = selectors.evaluation_experts(evaluation, with_options=True)
    assert options == expected
    assert sorted(pk for pk, _label in options) == sorted(u.pk for u in others)
    assert [(a.pk, a.state, name, organization) for a, name, organization in assigned] == [
        (assignment.pk, "assigned", expert.full_name, expert.organization.name)]
    client.force_login(hr_user)
    html = client.get(evaluation.get_absolute_url()).content.decode()
    for pk, label in options:
        assert f'<option value="{pk}">{label}</option>' in html
    assert "本单位专家" not in html and "停用专家" not in html
    assert f'action="{reverse("reviews:unassign", args=[assignment.pk])}"' in html


def test_the_evidence_and_the_ledger_of_the_year_show_on_the_evaluation_score_and_edit_pages(client, rubric, hr_user,
                                                                                             expert):
    """reviews/_attachments.html and reviews/_ledger_side.html from one query (selectors.evaluation_files): the
    evidence with what it supports (an item's text cut to 24 characters, or a count's label) and its note; the
    ledger of the year before the round grouped by kind, each entry with its files; other years left out."""
    from django.template.defaultfilters import truncatechars

    from reviews.models import EvaluationAttachment, LedgerAttachment

    round_ = rf.open_round(hr_user)
    evaluation = rf.evaluation_in_round(round_)
    unit = rf.unit_user_of(evaluation.workstation)
    rf.file_evaluation(evaluation, unit, submit=False)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    item = next(i for i in rubric.judged_items if len(i.text) > 24)
    rule = rubric.bonus_rules[0]
    for name, target in (("制度.pdf", {"item_id": item.pk}), ("讲座.pdf", {"rule_id": rule.pk, "note": "市级"})):
        services.add_evaluation_attachment(actor=unit, evaluation_id=evaluation.pk, **target,
                                           uploaded=SimpleUploadedFile(name, pdf, content_type="application/pdf"))
    year = round_.year - 1
    station = evaluation.workstation_id
    photo = SimpleUploadedFile("培训.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    services.add_ledger_entry(actor=unit, workstation_id=station, kind="trained", occurred_on=date(year, 9, 1),
                              person_name="张强", occupation="钳工", result="取得高级工证书", files=[photo])
    services.add_ledger_entry(actor=unit, workstation_id=station, kind="project", occurred_on=date(year, 8, 2),
                              title="攻关项目")
    services.add_ledger_entry(actor=unit, workstation_id=station, kind="project", occurred_on=date(year + 1, 1, 3),
                              title="次年项目")
    first, second = EvaluationAttachment.objects.order_by("pk")
    photo_file = LedgerAttachment.objects.get()
    evidence = [
        f'<a href="{reverse("reviews:attachment_file", args=[first.pk])}">制度.pdf</a> · {truncatechars(item.text, 24)}',  # as the template's filter did
        f'<a href="{reverse("reviews:attachment_file", args=[second.pk])}">讲座.pdf</a> · {rule.label} · 市级',
    ]
    ledger = [
        "技术攻关或技能创新项目（1）</h3>",
        f"<li>{year}-08-02 攻关项目\n      </li>",
        "培养技能技术骨干（1）</h3>",
        f'<li>{year}-09-01 张强 · 钳工 · 取得高级工证书\n      '
        f'<a href="{reverse("reviews:ledger_file", args=[photo_file.pk])}" class="ms-1">培训.png</a></li>',
    ]
    client.force_login(unit)
    html = client.get(reverse("reviews:evaluation_edit", args=[evaluation.pk])).content.decode()
    assert [part for part in evidence + ledger if part not in html] == []
    assert f'action="{reverse("reviews:attachment_remove", args=[first.pk])}"' in html
    assert "次年项目" not in html
    services.evaluation_transition(evaluation_id=evaluation.pk, actor=unit, to="submitted")
    assignment = services.assign_expert(actor=hr_user, evaluation_id=evaluation.pk, expert_id=expert.pk)
    for person, url in ((hr_user, evaluation.get_absolute_url()), (expert, assignment.get_absolute_url())):
        client.force_login(person)
        html = client.get(url).content.decode()
        assert [part for part in evidence + ledger if part not in html] == [], url
        assert "次年项目" not in html and "attachments/" not in html.replace(
            reverse("reviews:attachment_file", args=[first.pk]), "").replace(
            reverse("reviews:attachment_file", args=[second.pk]), ""), url
