"""The enquiry's page shows the Board panel: an escalation link for those who may escalate."""

from django.urls import reverse

from tests.conftest import client_for


def _detail(inquiry) -> str:
    return "/en" + reverse("inquiries:detail", kwargs={"code": inquiry.code})


def test_national_officer_may_escalate_an_enquiry_from_its_page(received, national_officer):
    html = client_for(national_officer).get(_detail(received)).content.decode()
    assert 'id="board-conclusions-h"' in html and "Escalate to the Board" in html


def test_ministry_officer_sees_no_escalation_link(assigned, ministry_officer):
    response = client_for(ministry_officer).get(_detail(assigned))
    assert response.status_code == 200
    assert "Escalate to the Board" not in response.content.decode()
