"""What each role may open: other units' applications and files are 404, other sectors' too; experts see
only their assignments; the public page prints no personal data."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications import services
from applications.models import Application, AttachmentKind
from applications.workflow import State
from tests import factories as core
from tests.applications.factories import ApplicationFactory, application_in, assign, pdf

pytestmark = pytest.mark.django_db


def test_unit_reads_its_own_application(client):
    app = ApplicationFactory()
    client.force_login(app.created_by)
    assert client.get(app.get_absolute_url()).status_code == 200


def test_unit_cannot_read_another_units_application(client, other_unit_user):
    app = application_in(State.SUBMITTED)
    client.force_login(other_unit_user)
    assert client.get(app.get_absolute_url()).status_code == 404


def test_unit_cannot_read_another_units_attachment(client, other_unit_user):
    app = ApplicationFactory()
    attachment = services.upload_attachment(actor=app.created_by, application_id=app.pk,
                                            kind=AttachmentKind.APPLICATION_REPORT, uploaded=pdf())
    client.force_login(other_unit_user)
    assert client.get(f"/applications/{app.pk}/attachments/{attachment.pk}/").status_code == 404


def test_attachment_of_another_application_is_404_even_with_ones_own_application_id(client):
    mine = ApplicationFactory()
    theirs = ApplicationFactory()
    attachment = services.upload_attachment(actor=theirs.created_by, application_id=theirs.pk,
                                            kind=AttachmentKind.APPLICATION_REPORT, uploaded=pdf())
    client.force_login(mine.created_by)
    assert client.get(f"/applications/{mine.pk}/attachments/{attachment.pk}/").status_code == 404


def test_unit_cannot_edit_another_units_draft(client, other_unit_user):
    app = ApplicationFactory()
    client.force_login(other_unit_user)
    assert client.get(f"/applications/{app.pk}/edit/unit/").status_code == 404


def test_department_reads_its_sectors_submitted_application(client):
    app = application_in(State.SUBMITTED)
    client.force_login(core.DepartmentUserFactory(organization=app.unit.department))
    assert client.get(app.get_absolute_url()).status_code == 200


def test_department_cannot_read_another_sectors_application(client, other_department_user):
    app = application_in(State.SUBMITTED)
    client.force_login(other_department_user)
    assert client.get(app.get_absolute_url()).status_code == 404


def test_department_does_not_see_drafts(client):
    app = ApplicationFactory()
    client.force_login(core.DepartmentUserFactory(organization=app.unit.department))
    assert client.get(app.get_absolute_url()).status_code == 404


def test_expert_sees_only_assigned_applications(client, expert):
    mine = application_in(State.EXPERT_REVIEW)
    other = application_in(State.EXPERT_REVIEW)
    assign(mine, expert=expert, submitted=False)
    client.force_login(expert)
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404


def test_expert_sees_the_bank_account_masked(client, expert):
    app = application_in(State.EXPERT_REVIEW)
    assign(app, expert=expert, submitted=False)
    client.force_login(expert)
    html = client.get(app.get_absolute_url()).content.decode()
    assert "0506012309024012345" not in html
    assert "***************2345" in html


def test_list_shows_only_what_the_user_may_see(client, unit_user):
    mine = ApplicationFactory(unit=unit_user.organization, created_by=unit_user)
    ApplicationFactory(occupation="焊工")
    client.force_login(unit_user)
    html = client.get("/applications/").content.decode()
    assert mine.get_absolute_url() in html
    assert "焊工" not in html


def test_hr_sees_state_and_age_in_state(client, hr_user):
    app = application_in(State.RECOMMENDED)
    Application.objects.filter(pk=app.pk).update(state_changed_at=timezone.now() - timedelta(days=3, hours=2))
    client.force_login(hr_user)
    html = client.get(app.batch.get_absolute_url()).content.decode()
    row = html[html.index(app.get_absolute_url()):]
    row = row[:row.index("</tr>")]
    assert "已推荐，待人社局审核" in row
    assert "<td>3天</td>" in row


def test_batch_pages_are_hr_only(client, unit_user):
    batch = ApplicationFactory().batch
    client.force_login(unit_user)
    assert client.get(batch.get_absolute_url()).status_code == 403
