"""Atom and iCalendar feeds of any search."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.notifications import search_helpers

pytestmark = pytest.mark.django_db
corpus = search_helpers.corpus
members = search_helpers.members
ATOM = "{http://www.w3.org/2005/Atom}"


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


@pytest.mark.parametrize("role", ["anonymous", "business", "national"])
def test_atom_feed_of_a_search(cast, corpus, role):
    response = client_for(cast[role]).get(reverse("notifications:feed_atom"), {"q": "toys"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    entries = root.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles == ["G/TBT/N/USA/1990: Toys safety standard", "G/TBT/N/EU/1100: Ecodesign requirements for chargers"]
    link = entries[0].find(f"{ATOM}link").attrib["href"]
    assert link.endswith(corpus["usa"].get_absolute_url())
    assert entries[0].findtext(f"{ATOM}id") == f"urn:uuid:{corpus['usa'].public_id}"


def test_atom_feed_without_drafts(corpus):
    body = client_for(None).get(reverse("notifications:feed_atom")).content.decode()
    assert body.count("<entry>") == 7 and "Secret draft" not in body


def test_ical_feed_of_comment_deadlines(corpus):
    response = client_for(None).get(reverse("notifications:feed_ical"), {"q": "toys"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    body = unfold(text)
    # Deadlines from a year ago on, latest first: USA (open), then the EU's (closed 340 days ago).
    assert body.count("BEGIN:VEVENT") == 2
    assert body.index("G/TBT/N/USA/1990") < body.index("G/TBT/N/EU/1100")
    deadline = corpus["usa"].comment_deadline
    assert f"DTSTART;VALUE=DATE:{deadline:%Y%m%d}" in body
    assert f"UID:notification-{corpus['usa'].public_id}-deadline@testserver" in body
    # Vietnamese is the default language of the feed; /en/ gives the English one.
    assert "SUMMARY:Hạn góp ý: G/TBT/N/USA/1990: Toys safety standard\r\n" in body


def test_ical_uids_are_stable_and_drafts_absent(corpus):
    client = client_for(None)
    first = unfold(client.get(reverse("notifications:feed_ical")).content.decode())
    second = unfold(client.get(reverse("notifications:feed_ical")).content.decode())
    uids = re.findall(r"^UID:(.+?)\r$", first, re.M)
    assert uids == re.findall(r"^UID:(.+?)\r$", second, re.M)
    assert len(uids) == 3  # tris, usa and eu (the drafts' deadlines are never published)
    assert "Secret" not in first and "bí mật" not in first


def test_old_deadlines_are_left_out(members):
    from datetime import date

    from tests.notifications.search_helpers import make_notification

    make_notification(symbol="G/TBT/N/KOR/76", member="KOR", title="Old", comment_deadline=date(2001, 1, 1))
    assert "BEGIN:VEVENT" not in client_for(None).get(reverse("notifications:feed_ical")).content.decode()


def test_ical_escapes_text(members):
    from datetime import timedelta

    from django.utils import timezone

    from tests.notifications.search_helpers import make_notification

    make_notification(
        symbol="G/TBT/N/KOR/77",
        member="KOR",
        title="Salt; pepper, and\\ more",
        comment_deadline=timezone.localdate() + timedelta(days=5),
    )
    body = unfold(client_for(None).get("/en/notifications/deadlines.ics").content.decode())
    assert "Salt\\; pepper\\, and\\\\ more" in body


def test_control_characters_never_break_the_feeds_or_the_spreadsheet(members):
    """A title pasted with a vertical tab or form feed (as from a PDF), or one in the query, is left
    out of the Atom feed, the iCalendar and the XLSX file instead of breaking them (XML 1.0, RFC
    5545 and the XLSX format refuse control characters)."""
    import io
    from datetime import timedelta

    from django.utils import timezone
    from openpyxl import load_workbook

    from tests.notifications.search_helpers import make_notification

    make_notification(
        symbol="G/TBT/N/KOR/78",
        member="KOR",
        title="Ctrl\x0bchar\x0c title",
        description="Bell\x07 in the text",
        comment_deadline=timezone.localdate() + timedelta(days=5),
    )
    client = client_for(None)
    for query in ({}, {"q": "char\x01"}, {"q": "ab\x1fc"}):
        atom = client.get(reverse("notifications:feed_atom"), query)
        assert atom.status_code == 200
        ElementTree.fromstring(atom.content)  # noqa: S314 - our own output; well-formed XML
    feed = client.get(reverse("notifications:feed_atom")).content
    entry = ElementTree.fromstring(feed).find(f"{ATOM}entry")  # noqa: S314 - our own output
    assert entry is not None and entry.findtext(f"{ATOM}title") == "G/TBT/N/KOR/78: Ctrlchar title"
    ical = client.get(reverse("notifications:feed_ical")).content.decode()
    assert "Ctrlchar title" in unfold(ical) and not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", ical)
    sheet = load_workbook(io.BytesIO(client.get(reverse("notifications:export_xlsx")).content)).active
    assert any("Ctrlchar title" in str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
