"""The audit log reads as sentences (#14, item 10): who, which action, what object by its kind and name, from
which state to which by their labels, and why; no model label, action code or state code, in either language."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from qinshui_station import audit, services
from qinshui_station.models import AuditEntry
from reviews.models import EvaluationRound
from tests import factories
from tests.reviews import factories as rf

CODES = re.compile(r"reviews\.evaluationround|round_finalized|\bopen\b|\bfinalized\b|#\d")


@pytest.fixture
def finalized_entry(db):
    hr = factories.HRUserFactory(full_name="李娜")
    round_ = rf.open_round(hr, year=2040)
    audit.record(actor=hr, obj=round_, action="round_finalized", before="open", after="finalized", reason="按期定级")
    return AuditEntry.objects.get(object_type="reviews.evaluationround", action="round_finalized")


def test_an_entry_reads_as_a_chinese_sentence(finalized_entry):
    round_ = EvaluationRound.objects.get()
    with translation.override("zh-hans"):
        sentence = audit.describe(finalized_entry)
    assert sentence == (f"{finalized_entry.actor_label} 定级并锁定：年度评估“{round_}”，"
                        "状态由“评估进行中”改为“已定级”。理由：按期定级")


def test_an_entry_reads_as_an_english_sentence(finalized_entry):
    with translation.override("en"):
        sentence = audit.describe(finalized_entry)
    assert not CODES.search(sentence)
    assert "Grade and lock" in sentence and "Reason: 按期定级" in sentence


def test_the_audit_page_shows_sentences_without_codes(client, finalized_entry):
    client.force_login(finalized_entry.actor)
    for language in ("zh-hans", "en"):
        client.cookies["django_language"] = language
        html = client.get(reverse("audit_log")).content.decode()
        entries = html[html.index('class="list-unstyled audit-entries"'):html.index("</ol>", html.index("audit-entries"))]
        assert not CODES.search(entries), entries


def test_a_code_nobody_labelled_never_shows(db):
    hr = factories.HRUserFactory()
    audit.record(actor=hr, obj=hr, action="some_new_action", before="x_state", after="y_state")
    with translation.override("zh-hans"):
        sentence = audit.describe(AuditEntry.objects.get(action="some_new_action"))
    assert "some_new_action" not in sentence and "x_state" not in sentence
    assert sentence.startswith(f"{audit.actor_label(hr)} 进行了操作：用户")


def _sentences(client, language: str) -> list[str]:
    client.cookies["django_language"] = language
    html = client.get(reverse("audit_log")).content.decode()
    return re.findall(r'</time>(.*?)</li>', html)


def test_the_english_audit_log_names_who_acted_with_english_brackets(client, finalized_entry):
    """The entry keeps "李娜（<the bureau>）" (its history is not rewritten); the English page showed those
    Chinese brackets, and the public and the scheduled task in Chinese."""
    hr = finalized_entry.actor
    round_ = EvaluationRound.objects.get()
    audit.record(actor=None, obj=round_, action="round_finalized")
    audit.record(actor=services.SCHEDULE, obj=round_, action="round_finalized")
    assert finalized_entry.actor_label == f"李娜（{hr.organization.name}）"
    client.force_login(hr)
    assert [s.split(" — ")[0] for s in _sentences(client, "en")][:3] == [
        "System (scheduled task)", "The public", f"李娜 ({hr.organization.name})"]
    assert [s.split(" 定级并锁定")[0] for s in _sentences(client, "zh-hans")][:3] == [
        "系统（定时任务）", "公众", f"李娜（{hr.organization.name}）"]


def test_an_entry_keeps_who_acted_in_chinese_whatever_the_language(finalized_entry):
    round_ = EvaluationRound.objects.get()
    with translation.override("en"):
        audit.record(actor=services.SCHEDULE, obj=round_, action="round_finalized")
        audit.record(actor=None, obj=round_, action="round_finalized")
    assert list(AuditEntry.objects.filter(action="round_finalized").order_by("pk").values_list("actor_label", flat=True)) == [
        finalized_entry.actor_label, "系统（定时任务）", "公众"]


def test_each_kind_of_object_has_a_name_of_its_own_in_both_languages(client, finalized_entry):
    """The audit log's 对象类型: in English the round (年度评估) and a station's filing (年度评估申请) both read
    'Annual evaluation', two choices nobody could tell apart."""
    client.force_login(finalized_entry.actor)
    for language in ("zh-hans", "en"):
        client.cookies["django_language"] = language
        choices = client.get(reverse("audit_log")).context["form"].fields["object_type"].choices
        labels = [str(label) for _value, label in choices]
        assert len(labels) == len(set(labels)), sorted(labels)


@pytest.mark.parametrize(("label", "singular"), [
    ("applications.application", "Station application"), ("applications.batch", "Application batch"),
    ("applications.member", "Proposed member"), ("funding.recovery", "Recovery"),
    ("qinshui_station.notification", "Notification")])
def test_an_english_sentence_names_one_object_in_the_singular(db, label, singular):
    """The page titles say "Station applications"; a sentence about one of them says "Station application"."""
    from django.apps import apps

    hr = factories.HRUserFactory(full_name="李娜")
    audit.record(actor=hr, obj=hr, action="edit")
    entry = AuditEntry.objects.get(action="edit")  # read as the log's page reads it, then named as the object
    entry.object_type, entry.object_label = label, "甲"
    with translation.override("en"):
        sentence = audit.describe(entry)
        plural = str(apps.get_model(label)._meta.verbose_name_plural)
    assert f"{singular} “甲”" in sentence and plural != singular
