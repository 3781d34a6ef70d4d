"""ePing-style JSON importer."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.utils import translation

from network.models import Point
from notifications.importers import InputFile, import_files
from notifications.importers.report import error_message, refused_count
from notifications.models import Notification
from tests.notifications import search_helpers
from tests.notifications.search_helpers import make_notification

pytestmark = pytest.mark.django_db
members = search_helpers.members

JPN = {
    "documentSymbol": "G/TBT/N/JPN/586",
    "notifyingMember": "C392",
    "distributionDate": "2018-02-20T00:00:00",
    "commentDeadlineDate": "2018-03-22",
    "proposedEntryIntoForceDate": "2018-06-01",
    "title": "Minimum requirements for biological products",
    "description": "Revision of the Minimum Requirements for Biological Products.",
    "productsFreeText": "Biological products",
    "hsCodes": ["3002", {"code": "3002.12"}],
    "objectives": ["Protection of human health or safety", "Quality requirements"],
    "keywords": ["vaccines", "blood products"],
    "notifiedDocumentLink": "https://docs.wto.org/imrd/directdoc.asp?DDFDocuments/t/G/TBTN18/JPN586.DOCX",
}


def eping(records: object, name: str = "eping.json") -> InputFile:
    data = json.dumps(records).encode("utf-8") if not isinstance(records, bytes) else records
    return InputFile(name, lambda: io.BytesIO(data))


def test_record_fields(members):
    report = import_files("eping", [eping([JPN])])
    assert report.created == 1 and report.error_count == 0
    n = Notification.objects.get(symbol="G/TBT/N/JPN/586")
    assert (n.member.code, n.direction, n.state, n.source) == ("JPN", "in", "received", "wto")
    assert n.distribution_date == date(2018, 2, 20)
    assert n.comment_deadline == date(2018, 3, 22)
    assert n.entry_into_force_date == date(2018, 6, 1)
    assert n.hs_codes == ["3002", "3002.12"]
    assert n.objectives == ["human_health", "quality"]
    assert n.keywords == ["vaccines", "blood products"]
    assert n.products_text == "Biological products"
    assert n.document_link.startswith("https://docs.wto.org/")
    assert "minimum requirements" in n.search_text


@pytest.mark.parametrize(
    ("member", "code"),
    [
        ("C840", "USA"),
        ("U918", "EU"),
        ("United States", "USA"),
        ("USA", "USA"),
        ("US", "USA"),
        ({"code": "C156"}, "CHN"),
    ],
)
def test_member_identifiers(members, member, code):
    import_files("eping", [eping([{**JPN, "documentSymbol": "G/TBT/N/XYZ/1", "notifyingMember": member}])])
    assert Notification.objects.get(symbol="G/TBT/N/XYZ/1").member.code == code


def test_member_from_the_symbol_when_absent(members):
    record = {k: v for k, v in JPN.items() if k != "notifyingMember"}
    import_files("eping", [eping([{**record, "documentSymbol": "G/TBT/N/KOR/900"}])])
    assert Notification.objects.get(symbol="G/TBT/N/KOR/900").member.code == "KOR"


def test_entry_into_force_in_words(members):
    import_files("eping", [eping([{**JPN, "proposedEntryIntoForceDate": "6 months after publication"}])])
    n = Notification.objects.get()
    assert n.entry_into_force_date is None and n.entry_into_force_text == "6 months after publication"


def test_vietnam_own_notifications_are_public_outgoing(members):
    import_files("eping", [eping([{**JPN, "documentSymbol": "G/TBT/N/VNM/298", "notifyingMember": "C704"}])])
    n = Notification.objects.get()
    assert (n.direction, n.state) == ("out", "notified")


def test_followups_are_linked_whatever_the_order(members):
    add = {**JPN, "documentSymbol": "g/tbt/n/jpn/586/add.1", "title": "Addendum"}
    corr = {**JPN, "documentSymbol": "G/TBT/N/JPN/586/Add.1/Corr.1", "title": "Corrigendum"}
    import_files("eping", [eping([add, corr])])
    child = Notification.objects.get(symbol="G/TBT/N/JPN/586/Add.1")
    assert (child.followup_kind, child.followup_number, child.parent) == ("add", 1, None)
    import_files("eping", [eping([JPN])])
    child.refresh_from_db()
    assert child.parent.symbol == "G/TBT/N/JPN/586"
    corrigendum = Notification.objects.get(symbol="G/TBT/N/JPN/586/Add.1/Corr.1")
    assert (corrigendum.followup_kind, corrigendum.parent) == ("corr", child)


def test_idempotent_and_updates(members):
    import_files("eping", [eping([JPN])])
    again = import_files("eping", [eping([JPN])])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = import_files("eping", [eping([{**JPN, "commentDeadlineDate": "2018-04-30"}])])
    assert (changed.created, changed.updated) == (0, 1)
    assert Notification.objects.get().comment_deadline == date(2018, 4, 30)


def test_bad_records_are_reported_with_their_number(members):
    records = [
        JPN,
        {**JPN, "documentSymbol": "G/TBT/N/USA/1", "notifyingMember": "C840", "distributionDate": "31/02/2020"},
        {**JPN, "documentSymbol": "G/TBT/N/ATL/1", "notifyingMember": "Atlantis"},
        {**JPN, "title": "same symbol again"},
        {**JPN, "documentSymbol": "not a symbol"},
        "a string",
        {**JPN, "documentSymbol": "G/TBT/N/CAN/1", "notifyingMember": "C124", "notifiedDocumentLink": "ftp://x"},
        {**JPN, "documentSymbol": "G/TBT/N/CAN/2", "notifyingMember": "C124"},
    ]
    report = import_files("eping", [eping(records)])
    assert report.created == 2
    assert set(Notification.objects.values_list("symbol", flat=True)) == {"G/TBT/N/JPN/586", "G/TBT/N/CAN/2"}
    codes = {e["line"]: e["code"] for e in report.errors}
    assert codes == {
        2: "bad_date",
        3: "unknown_member",
        4: "duplicate",
        5: "bad_symbol",
        6: "bad_record",
        7: "bad_value",
    }


CAN = {**JPN, "documentSymbol": "G/TBT/N/CAN/700", "notifyingMember": "C124", "title": "Canada"}
USA = {**JPN, "documentSymbol": "G/TBT/N/USA/2000", "notifyingMember": "C840", "title": "United States"}


def cut(payload: object, marker: str) -> tuple[bytes, int]:
    """The payload as an indented file cut in the middle of the record holding ``marker``, and the
    line where that record starts."""
    text = json.dumps(payload, indent=2)
    at = text.index(marker)
    start = text.rindex("{", 0, at)
    return text[: at + 5].encode(), text.count("\n", 0, start) + 1


def test_truncated_json_keeps_the_complete_records_and_reports_the_cut(members):
    data, line = cut([JPN, CAN, USA], "United States")
    report = import_files("eping", [eping(data)])
    assert report.created == 2
    assert set(Notification.objects.values_list("symbol", flat=True)) == {"G/TBT/N/JPN/586", "G/TBT/N/CAN/700"}
    [error] = report.errors
    assert (error["code"], error["line"], error["params"]["count"]) == ("json_cut", line, 2)
    with translation.override("en"):
        message = error_message(error)
    assert f"from line {line} on" in message and "the rest of the file was not" in message
    assert report.error_count == 1 and refused_count(report.stored_errors()) == 1


@pytest.mark.parametrize("key", ["items", "results", "data", "notifications"])
def test_truncated_json_in_an_object_wrapping_the_list(members, key):
    data, _line = cut({"count": 3, "next": None, key: [JPN, CAN, USA]}, "United States")
    report = import_files("eping", [eping(data)])
    assert report.created == 2 and [e["code"] for e in report.errors] == ["json_cut"]


def test_json_cut_between_records_keeps_them_all(members):
    text = json.dumps([JPN, CAN])
    report = import_files("eping", [eping(text[:-1].encode())])  # the closing "]" is missing
    assert report.created == 2 and [e["code"] for e in report.errors] == ["json_cut"]
    report = import_files("eping", [eping((text + "\n,garbage").encode())])  # whole list, then junk
    assert report.unchanged == 2 and [(e["code"], e["line"]) for e in report.errors] == [("json_cut", 2)]


def test_unreadable_json_that_is_no_list_is_not_imported(members):
    for data in (b'{"items": 3, "data": 4', b"not json", b'{"items": {"a": '):
        report = import_files("eping", [eping(data)])
        assert report.created == 0 and [e["code"] for e in report.errors] == ["bad_json"]


def test_absent_fields_are_left_alone_and_null_ones_cleared(members):
    import_files("eping", [eping([{**JPN, "icsCodes": ["11.120"]}])])
    partial = {"documentSymbol": "G/TBT/N/JPN/586", "notifyingMember": "C392", "title": "New title"}
    report = import_files("eping", [eping([partial])])
    assert report.updated == 1
    n = Notification.objects.get()
    assert n.title == "New title"
    assert n.description == JPN["description"] and n.products_text == "Biological products"
    assert (n.distribution_date, n.comment_deadline, n.entry_into_force_date) == (
        date(2018, 2, 20),
        date(2018, 3, 22),
        date(2018, 6, 1),
    )
    assert n.hs_codes == ["3002", "3002.12"] and n.ics_codes == ["11.120"] and n.keywords
    assert n.objectives == ["human_health", "quality"] and n.document_link
    cleared = {
        **partial,
        "description": None,
        "hsCodes": [],
        "keywords": None,
        "commentDeadlineDate": None,
        "notifiedDocumentLink": "",
    }
    import_files("eping", [eping([cleared])])
    n.refresh_from_db()
    assert (n.description, n.hs_codes, n.keywords, n.comment_deadline, n.document_link) == ("", [], [], None, "")
    assert n.products_text == "Biological products" and n.distribution_date == date(2018, 2, 20)


def test_entry_into_force_words_give_way_to_a_date(members):
    import_files("eping", [eping([{**JPN, "proposedEntryIntoForceDate": "On adoption"}])])
    import_files("eping", [eping([JPN])])
    n = Notification.objects.get()
    assert (n.entry_into_force_date, n.entry_into_force_text) == (date(2018, 6, 1), "")


def test_a_symbol_of_another_member_is_refused(members):
    records = [
        {**JPN, "documentSymbol": "G/TBT/N/KOR/777", "notifyingMember": "C156"},
        {**JPN, "documentSymbol": "G/TBT/N/KOR/778", "notifyingMember": "Korea, Republic of"},
        {**JPN, "documentSymbol": "G/TBT/N/EU/1185", "notifyingMember": "U918"},
        {**JPN, "documentSymbol": "G/TBT/N/TPKM/9", "notifyingMember": "C158"},
    ]
    report = import_files("eping", [eping(records)])
    assert report.created == 3
    assert [(e["line"], e["code"], e["params"]["member"]) for e in report.errors] == [(1, "symbol_member", "CHN")]
    assert not Notification.objects.filter(symbol="G/TBT/N/KOR/777").exists()


def test_a_portal_dossier_is_never_overwritten(members, reference):
    point = Point.objects.get(code="bo-cong-thuong")
    n = make_notification(
        symbol="G/TBT/N/VNM/300", member="VNM", direction="out", state="notified", point=point, title="Our text"
    )
    report = import_files("eping", [eping([{**JPN, "documentSymbol": "G/TBT/N/VNM/300", "notifyingMember": "C704"}])])
    assert report.errors[0]["code"] == "managed_in_portal"
    n.refresh_from_db()
    assert n.title == "Our text"


def test_verified_vietnamese_text_is_kept(members):
    from django.utils import timezone

    n = make_notification(
        symbol="G/TBT/N/JPN/586", member="JPN", title_vi="Bản dịch đã kiểm tra", vi_verified_at=timezone.now()
    )
    import_files(
        "csv",
        [
            InputFile(
                "a.csv",
                lambda: io.BytesIO(b"symbol,member,title,title_vi\nG/TBT/N/JPN/586,JPN,New title,Overwritten\n"),
            )
        ],
    )
    n.refresh_from_db()
    assert (n.title, n.title_vi) == ("New title", "Bản dịch đã kiểm tra")
