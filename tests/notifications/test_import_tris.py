"""TRIS importer on real rows (tests/fixtures/tris, a sample of ../shared/data/eutr) and broken input."""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.utils import translation

from network.models import Event
from notifications.importers import InputFile, from_paths, import_files
from notifications.importers.report import error_message
from notifications.models import Notification, NotificationComment
from tests.notifications import search_helpers
from tests.notifications.search_helpers import TRIS_DIR

pytestmark = pytest.mark.django_db
members = search_helpers.members


def run_tris(*paths: Path | str):
    return import_files("tris", from_paths([str(p) for p in paths], (".csv",)))


def text_file(name: str, text: str) -> InputFile:
    data = text.encode("utf-8")
    return InputFile(name, lambda: io.BytesIO(data))


def test_real_sample_imports_notifications_comments_and_opinions(members):
    report = run_tris(TRIS_DIR)
    assert report.error_count == 0, report.errors
    assert report.by_kind["notification"].created == 60
    assert report.by_kind["comment"].created == 55
    assert report.by_kind["opinion"].created == 40
    assert Notification.objects.filter(source="tris").count() == 60
    assert NotificationComment.objects.count() == 95

    uk = Notification.objects.get(source="tris", external_id="TRIS:1989:0050:UK:N")
    assert uk.member.code == "GBR"  # TRIS "UK"
    assert (uk.direction, uk.state, uk.symbol) == ("in", "received", None)
    assert uk.distribution_date == date(1989, 3, 10)  # start_date
    assert uk.comment_deadline == date(1989, 9, 22)  # end of the standstill period
    assert "tris:1989:0050:uk:n" in uk.search_text
    comments = {c.external_id: c for c in uk.comments.all()}
    assert set(comments) == {
        "TRIS:1989:0050:UK:C:DE",
        "TRIS:1989:0050:UK:C:FR",
        "TRIS:1989:0050:UK:C:IT",
        "TRIS:1989:0050:UK:O:DK",
    }
    de = comments["TRIS:1989:0050:UK:C:DE"]
    assert (de.direction, de.kind, de.member.code, de.by_name, de.received_on, de.state) == (
        "third",
        "comment",
        "DEU",
        "Germany",
        date(1989, 3, 10),
        "recorded",
    )
    assert comments["TRIS:1989:0050:UK:O:DK"].kind == "opinion"

    greece = Notification.objects.get(external_id="TRIS:1989:0216:EL:N")
    assert greece.member.code == "GRC"  # TRIS "EL"
    commission = greece.comments.get(external_id="TRIS:1989:0216:EL:O:EC")
    assert commission.member.code == "EU"  # the Commission speaks for the EU
    efta = NotificationComment.objects.get(external_id="TRIS:1990:0338:FR:C:EFTA")
    assert efta.member is None and efta.by_name == "European Free Trade Association"
    # Missing end date ("NA"): no final date for comments.
    assert Notification.objects.get(external_id="TRIS:1986:0005:IT:N").comment_deadline is None


def test_created_notifications_get_an_event(members):
    run_tris(TRIS_DIR)
    n = Notification.objects.get(external_id="TRIS:1989:0050:UK:N")
    event = Event.objects.get(object_id=str(n.pk), verb="notification_imported")
    assert event.to_state == "received"


def test_import_twice_changes_nothing(members):
    first = run_tris(TRIS_DIR)
    second = run_tris(TRIS_DIR)
    assert first.created == 155 and first.total == 155
    assert (second.created, second.updated, second.unchanged, second.error_count) == (0, 0, 155, 0)
    assert Notification.objects.count() == 60
    assert NotificationComment.objects.count() == 95
    assert Event.objects.filter(verb="notification_imported").count() == 60


def test_reimport_updates_changed_rows_and_keeps_the_workflow_state(members, tmp_path):
    run_tris(TRIS_DIR)
    n = Notification.objects.get(external_id="TRIS:1989:0050:UK:N")
    Notification.objects.filter(pk=n.pk).update(state=Notification.State.RELEVANT)
    changed = tmp_path / "tris"
    shutil.copytree(TRIS_DIR, changed)
    path = changed / "notifications.csv"
    path.write_text(path.read_text().replace("1989-03-10,1989,1989-09-22", "1989-03-10,1989,1989-10-31"))
    report = run_tris(changed)
    assert report.by_kind["notification"].updated == 1
    assert report.by_kind["notification"].unchanged == 59
    n.refresh_from_db()
    assert n.comment_deadline == date(1989, 10, 31)
    assert n.state == "relevant"
    assert Event.objects.filter(object_id=str(n.pk), verb="notification_import_updated").count() == 1


def test_files_given_one_by_one_or_zipped(members, tmp_path):
    names = ["notifications.csv", "comments.csv", "opinions.csv"]
    report = run_tris(*(TRIS_DIR / name for name in names))
    assert report.created == 155
    archive = tmp_path / "tris.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name in names:
            z.write(TRIS_DIR / name, f"eutr/{name}")
    report = run_tris(archive)
    assert (report.created, report.unchanged) == (0, 155)


HEADER = (
    '"key_ID","notification_ID","notification_by_ID","notification_by","notification_by_code","start_date",'
    '"start_year","end_date","end_year","postponement","comments","count_comments","commission_comment",'
    '"opinions","count_opinions","commission_opinion"\n'
)


def test_bad_rows_are_reported_and_good_rows_kept(members):
    text = HEADER + (
        '1,"TRIS:2019:0001:FR:N",2,"France","FR",2019-01-02,2019,2019-04-03,2019,0,NA,0,0,NA,0,0\n'
        '2,"TRIS:2019:0002:FR:N",2,"France","FR",2019-02-30,2019,2019-04-03,2019,0,NA,0,0,NA,0,0\n'
        '3,"TRIS:2019:0003:XX:N",99,"Atlantis","XX",2019-01-02,2019,2019-04-03,2019,0,NA,0,0,NA,0,0\n'
        '4,"TRIS:2019:0001:FR:N",2,"France","FR",2019-01-02,2019,2019-04-03,2019,0,NA,0,0,NA,0,0\n'
        '5,"TRIS:2019:0004:DE:N",3,"Germany","DE",2019-01-05,2019,05/07/2019,2019,0,NA,0,0,NA,0,0\n'
        '6,"TRIS:2019:0005:DE:N",3,"Germany","DE",2019-01-0'  # truncated file
    )
    report = import_files("tris", [text_file("notifications.csv", text)])
    assert report.created == 2
    assert set(Notification.objects.values_list("external_id", flat=True)) == {
        "TRIS:2019:0001:FR:N",
        "TRIS:2019:0004:DE:N",
    }
    assert Notification.objects.get(external_id="TRIS:2019:0004:DE:N").comment_deadline == date(2019, 7, 5)
    by_line = {e["line"]: e for e in report.errors}
    assert by_line[3]["code"] == "bad_date" and by_line[3]["params"]["value"] == "2019-02-30"
    assert by_line[4]["code"] == "unknown_member" and by_line[4]["params"]["value"] == "XX"
    assert by_line[5]["code"] == "duplicate" and by_line[5]["params"]["first_line"] == 2
    assert by_line[7]["code"] == "incomplete_row"
    assert report.total == 6 and report.processed == 6
    with translation.override("en"):
        messages = [error_message(e) for e in report.errors]
    assert any("2019-02-30" in m for m in messages)
    assert any("truncated" in m for m in messages)
    with translation.override("vi"):
        assert "Incomplete row" not in error_message(by_line[7])


def test_missing_columns_refuse_the_file(members):
    text = '"key_ID","notification_ID","start_date"\n1,"TRIS:2019:0001:FR:N",2019-01-02\n'
    report = import_files("tris", [text_file("notifications.csv", text)])
    assert report.created == 0 and Notification.objects.count() == 0
    assert report.errors[0]["code"] == "missing_columns"
    assert report.errors[0]["params"]["columns"] == ["notification_by_code", "end_date"]


def test_a_misplaced_quote_on_the_last_line_is_reported(members):
    text = HEADER + (
        '1,"TRIS:2019:0001:FR:N",2,"France","FR",2019-01-02,2019,2019-04-03,2019,0,NA,0,0,NA,0,0\n'
        '2,"TRIS:2019:0002:FR:N,2,"France'
    )
    report = import_files("tris", [text_file("notifications.csv", text)])
    assert report.created == 1
    assert [(e["line"], e["code"]) for e in report.errors] == [(3, "bad_quote")]


def test_an_unclosed_quote_refuses_its_row_and_later_rows_are_read(members):
    row = '{n},"TRIS:2019:000{n}:FR:N",2,"France","FR",2019-01-02,2019,2019-04-03,2019,0,NA,0,0,NA,0,0\n'
    text = HEADER + row.format(n=1) + row.format(n=2).replace(',"FR",', ',"FR,') + row.format(n=3) + row.format(n=4)
    report = import_files("tris", [text_file("notifications.csv", text)])
    assert set(Notification.objects.values_list("external_id", flat=True)) == {
        "TRIS:2019:0001:FR:N",
        "TRIS:2019:0003:FR:N",
        "TRIS:2019:0004:FR:N",
    }
    assert [(e["line"], e["code"]) for e in report.errors] == [(3, "unclosed_quote")]
    assert report.total == report.processed == 4


def test_comment_of_an_unknown_notification_is_reported(members):
    comments = (TRIS_DIR / "comments.csv").read_text().splitlines()
    text = "\n".join(comments[:3]) + "\n"
    report = import_files("tris", [text_file("comments.csv", text)])
    assert report.created == 0
    assert {e["code"] for e in report.errors} == {"unknown_notification"}
    assert [e["line"] for e in report.errors] == [2, 3]


def test_unknown_file_is_reported(members):
    report = import_files("tris", [text_file("other.csv", "a,b\n1,2\n")])
    assert report.errors[0]["code"] == "unknown_file"
