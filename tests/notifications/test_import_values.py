"""Values no column can store: control characters (NUL first) and rows the database refuses."""

from __future__ import annotations

import io
import json

import pytest
from django.db import DataError

from notifications.importers import InputFile, import_files
from notifications.importers.records import clean_text, text_value
from notifications.importers.runs import import_run_for_paths, import_run_process
from notifications.models import Notification, NotificationComment
from tests.notifications import search_helpers
from tests.notifications.search_helpers import make_notification

pytestmark = pytest.mark.django_db
members = search_helpers.members

# NUL, BEL, vertical tab, form feed, ESC, DEL: none may reach the database, a feed or a workbook.
DIRT = "\x00\x07\x0b\x0c\x1b\x7f"


def file_of(name: str, text: str) -> InputFile:
    data = text.encode("utf-8")
    return InputFile(name, lambda: io.BytesIO(data))


def test_clean_text_keeps_tabs_and_line_breaks():
    assert clean_text(f"a{DIRT}b\tc\nd\r\ne\u00e9\ud800\uffff") == "ab\tc\nd\r\neé"
    assert text_value([f"x{DIRT}", None, "y"]) == "x; y"


def test_control_characters_are_stripped_from_csv_values(members):
    text = (
        "symbol,member,title,description,keywords,hs_codes\n"
        f'G/TBT/N/KOR/1{DIRT},KOR{DIRT},To{DIRT}ys,"Line one\tx\nLine two {DIRT}",toys{DIRT};games,95{DIRT}03\n'
    )
    report = import_files("csv", [file_of("n.csv", text)])
    assert report.created == 1, report.errors
    n = Notification.objects.get()
    assert (n.symbol, n.member.code, n.title) == ("G/TBT/N/KOR/1", "KOR", "Toys")
    assert n.description == "Line one\tx\nLine two"
    assert (n.keywords, n.hs_codes) == (["toys", "games"], ["9503"])
    again = import_files("csv", [file_of("n.csv", text)])
    assert again.unchanged == 1


def test_control_characters_are_stripped_from_json_values(members):
    record = {
        "documentSymbol": "G/TBT/N/JPN/1",
        "notifyingMember": "C392",
        "title": f"Bio{DIRT}logical\ud800 products",
        "description": f"Para one.\n\nPara{DIRT} two.",
        "keywords": [f"vac{DIRT}cines", {"name": f"blood{DIRT}"}],
        "distributionDate": f"2018-02-20{DIRT}",
    }
    report = import_files("eping", [file_of("e.json", json.dumps([record]))])
    assert report.created == 1, report.errors
    n = Notification.objects.get()
    assert (n.title, n.description) == ("Biological products", "Para one.\n\nPara two.")
    assert n.keywords == ["vaccines", "blood"] and str(n.distribution_date) == "2018-02-20"
    assert "\x00" not in n.search_text


def test_a_refused_value_with_nul_is_stored_clean_on_the_run(members, tmp_path):
    # PostgreSQL's jsonb refuses "\u0000": the run's list of refused rows could not be saved.
    path = tmp_path / "e.json"
    path.write_text(json.dumps([{"documentSymbol": "G/TBT/N/ATL/1", "notifyingMember": "Atl\x00antis"}]))
    run = import_run_for_paths(fmt="eping", paths=[str(path)])
    from notifications.importers import from_paths

    run, report = import_run_process(run.pk, files=from_paths([str(path)], (".json",)))
    run.refresh_from_db()
    assert run.state == "done"
    assert run.errors[0]["params"]["value"] == "Atlantis"


def _poison(monkeypatch, manager, attribute: str, value: str) -> None:
    """Make the database refuse any bulk_create holding an object whose ``attribute`` is ``value``
    (as PostgreSQL refuses a value it cannot store), whatever the database the tests run on."""
    original = manager.bulk_create

    def bulk_create(objs, *args, **kwargs):
        objs = list(objs)
        if any(getattr(o, attribute) == value for o in objs):
            raise DataError("value too long for type character varying(80)")
        return original(objs, *args, **kwargs)

    monkeypatch.setattr(manager, "bulk_create", bulk_create)


def test_a_row_the_database_refuses_is_reported_and_the_batch_goes_in(members, reference, monkeypatch):
    from network.models import Point

    make_notification(
        symbol="G/TBT/N/VNM/300",
        member="VNM",
        direction="out",
        state="notified",
        point=Point.objects.get(code="bo-cong-thuong"),
    )
    _poison(monkeypatch, Notification.objects, "title", "Poison")
    text = (
        "symbol,member,title\n"
        "G/TBT/N/KOR/1,KOR,Good\n"
        "G/TBT/N/KOR/2,KOR,Poison\n"
        "G/TBT/N/VNM/300,VNM,Managed in the portal\n"
        "G/TBT/N/KOR/3,KOR,Good too\n"
    )
    report = import_files("csv", [file_of("n.csv", text)])
    assert report.created == 2
    assert set(Notification.objects.values_list("symbol", flat=True)) == {
        "G/TBT/N/VNM/300",
        "G/TBT/N/KOR/1",
        "G/TBT/N/KOR/3",
    }
    # Each refused row once, though the batch was written twice.
    assert sorted((e["line"], e["code"]) for e in report.errors) == [(3, "database"), (4, "managed_in_portal")]
    assert report.processed == report.total == 4


def test_a_comment_the_database_refuses_is_reported_and_the_others_go_in(members, monkeypatch):
    header = '"key_ID","notification_ID","notification_by_ID","notification_by","notification_by_code","start_date","end_date"\n'
    notifications = header + '1,"TRIS:2019:0001:FR:N",2,"France","FR",2019-01-02,2019-04-03\n'
    comments = (
        '"key_ID","comment_ID","notification_ID","comment_by","comment_by_code","start_date"\n'
        '1,"TRIS:2019:0001:FR:C:DE","TRIS:2019:0001:FR:N","Germany","DE",2019-01-02\n'
        '2,"TRIS:2019:0001:FR:C:IT","TRIS:2019:0001:FR:N","Italy","IT",2019-01-02\n'
        '3,"TRIS:2019:0001:FR:C:XX","TRIS:2019:0009:FR:N","Spain","ES",2019-01-02\n'
    )
    _poison(monkeypatch, NotificationComment.objects, "by_name", "Italy")
    report = import_files("tris", [file_of("notifications.csv", notifications), file_of("comments.csv", comments)])
    assert report.by_kind["comment"].created == 1
    assert sorted((e["line"], e["code"]) for e in report.errors) == [(3, "database"), (4, "unknown_notification")]


def test_identifiers_longer_than_their_column_are_refused_up_front(members):
    long_id = "TRIS:2019:0001:FR:C:" + "X" * 80
    comments = (
        '"key_ID","comment_ID","notification_ID","comment_by","comment_by_code","start_date"\n'
        f'1,"{long_id}","TRIS:2019:0001:FR:N","Germany","DE",2019-01-02\n'
    )
    report = import_files("tris", [file_of("comments.csv", comments)])
    assert [(e["line"], e["code"], e["params"]["limit"]) for e in report.errors] == [(2, "too_long", 80)]
    report = import_files("csv", [file_of("n.csv", f"external_id,member\n{'x' * 81},KOR\n")])
    assert [(e["code"], e["params"]["length"]) for e in report.errors] == [("too_long", 81)]
    assert NotificationComment.objects.count() == 0 and Notification.objects.count() == 0
