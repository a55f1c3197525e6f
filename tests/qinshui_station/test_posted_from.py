"""A step posted to an address of its own (access.posted_from): a GET there (a bookmark, a copied address, the
language switched on a refused step's page) is sent to the object's page instead of a bare 405; a refused step's
page names its own address for portal.js to put in the address bar."""

from decimal import Decimal

import pytest
from django.urls import reverse

from applications.workflow import State
from tests.applications import factories as af
from tests.funding.factories import disbursed_station, first_tranche, funded_station, spend

pytestmark = pytest.mark.django_db


def test_a_get_on_a_tranches_step_is_sent_to_the_tranches_page(client, hr_user, finance_user):
    _ws, grant = funded_station(hr=hr_user)
    tranche = first_tranche(grant)
    client.force_login(finance_user)
    response = client.get(f"/funding/tranches/{tranche.pk}/disburse/")
    assert (response.status_code, response["Location"]) == (302, f"/funding/tranches/{tranche.pk}/")


def test_a_get_on_an_applications_move_is_sent_to_the_applications_page(client, department_user):
    app = af.application_in(State.SUBMITTED)
    client.force_login(department_user)
    response = client.get(f"/applications/{app.pk}/move/recommended/")
    assert (response.status_code, response["Location"]) == (302, f"/applications/{app.pk}/")


def test_a_get_on_a_step_found_through_a_selector_is_sent_to_its_page_or_404(client, unit_user, other_unit_user):
    """An upload's page is the unit's attachments step while it may edit the application (found through the
    unit's applications: another unit's is 404), else the application's page."""
    draft = af.eligible_application(unit=unit_user.organization)
    client.force_login(unit_user)
    response = client.get(f"/applications/{draft.pk}/attachments/")
    assert (response.status_code, response["Location"]) == (302, f"/applications/{draft.pk}/edit/attachments/")
    submitted = af.application_in(State.SUBMITTED, unit=draft.unit)
    response = client.get(f"/applications/{submitted.pk}/attachments/")
    assert (response.status_code, response["Location"]) == (302, f"/applications/{submitted.pk}/")
    client.force_login(other_unit_user)
    assert client.get(f"/applications/{draft.pk}/attachments/").status_code == 404


def test_a_put_is_still_not_allowed(client, hr_user, finance_user):
    _ws, grant = funded_station(hr=hr_user)
    client.force_login(finance_user)
    response = client.put(f"/funding/tranches/{first_tranche(grant).pk}/disburse/")
    assert (response.status_code, response["Allow"]) == (405, "POST")


def test_a_refused_steps_page_names_its_own_address_and_switches_language_there(client, hr_user):
    _ws, grant = funded_station(hr=hr_user)
    tranche = first_tranche(grant)
    client.force_login(hr_user)
    response = client.post(f"/funding/tranches/{tranche.pk}/cancel/", {"reason": "单位放弃"})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<meta name="page-address" content="/funding/tranches/{tranche.pk}/">' in html
    assert f'<input name="next" type="hidden" value="/funding/tranches/{tranche.pk}/">' in html


def test_a_page_opened_at_its_own_address_names_none(client, hr_user):
    _ws, grant = funded_station(hr=hr_user)
    client.force_login(hr_user)
    html = client.get(f"/funding/tranches/{first_tranche(grant).pk}/").content.decode()
    assert 'name="page-address"' not in html


def test_an_assignment_refused_from_the_batch_page_names_the_batch_page(client, hr_user, expert):
    """The form on the batch page posts to one application's address with several=1: refused, the batch's page."""
    app = af.application_in(State.EXPERT_REVIEW)
    client.force_login(hr_user)
    response = client.post(reverse("applications:assign_expert", args=[app.pk]), {"several": "1"})
    assert response.status_code == 400
    assert f'<meta name="page-address" content="/applications/batches/{app.batch_id}/">' in (
        response.content.decode())


def test_a_refused_question_names_the_expenditures_page(client, hr_user, finance_user, unit_user):
    station, _grant = disbursed_station(hr=hr_user, finance=finance_user, unit=unit_user.organization)
    expenditure = spend(station, unit_user, Decimal("8000.00"), code="talent-training", description="外出考察")
    client.force_login(hr_user)
    response = client.post(f"/funding/expenditures/{expenditure.pk}/question/", {"reason": " "})
    assert response.status_code == 400
    assert f'<meta name="page-address" content="/funding/expenditures/{expenditure.pk}/">' in (
        response.content.decode())
