"""The search page's Python-rendered parts: the filter fields (kept per language, values and
members) must follow the data on the next request, and errors are never kept."""

from __future__ import annotations

import pytest

from network.models import WTOMember
from notifications.models import Notification
from tests.conftest import client_for
from tests.notifications import search_helpers

pytestmark = pytest.mark.django_db
corpus = search_helpers.corpus
members = search_helpers.members


def test_a_new_member_is_offered_on_the_next_request(corpus):
    client = client_for(None)
    assert "Atlantis" not in client.get("/en/notifications/").content.decode()
    WTOMember.objects.create(code="ATL", name_en="Atlantis", name_vi="Atlantis (vi)")
    body = client.get("/en/notifications/").content.decode()
    assert '<option value="ATL">Atlantis</option>' in body
    assert '<option value="ATL">Atlantis (vi)</option>' in client.get("/notifications/").content.decode()


def test_the_chosen_values_and_the_language_are_shown(corpus):
    client = client_for(None)
    body = client.get("/en/notifications/", {"member": "VNM", "hs": "8517"}).content.decode()
    assert '<option value="VNM" selected>' in body
    assert 'name="hs" value="8517"' in body
    assert '<label for="id_hs">HS code (prefix):</label>' in body
    plain = client.get("/en/notifications/").content.decode()
    assert '<option value="VNM" selected>' not in plain
    assert 'name="hs" value="8517"' not in plain


def test_errors_are_shown_each_time_and_not_kept(corpus):
    client = client_for(None)
    bad = client.get("/en/notifications/", {"dist_from": "31/31/2020"}).content.decode()
    assert "field-error" in bad
    assert "field-error" not in client.get("/en/notifications/").content.decode()
    assert "field-error" in client.get("/en/notifications/", {"dist_from": "31/31/2020"}).content.decode()


def test_a_changed_title_is_listed_on_the_next_request(corpus):
    client = client_for(None)
    client.get("/en/notifications/")
    item = corpus["usa"]
    Notification.objects.filter(pk=item.pk).update(title="A <renamed> regulation on toys")
    body = client.get("/en/notifications/", {"q": "toys"}).content.decode()
    assert "A &lt;renamed&gt; regulation on toys" in body
    assert item.get_absolute_url() in body
