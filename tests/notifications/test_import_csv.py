"""The portal's CSV format: documented header, lists, round trip with the CSV export."""

from __future__ import annotations

import io
from datetime import date

import pytest

from notifications.exports import _csv_lines
from notifications.importers import InputFile, import_files
from notifications.models import Notification
from notifications.search import SearchParams
from tests.notifications import search_helpers

pytestmark = pytest.mark.django_db
corpus = search_helpers.corpus
members = search_helpers.members

HEADER = (
    "symbol,source,external_id,member,title,title_vi,summary_vi,description,products,hs_codes,ics_codes,"
    "objectives,keywords,distribution_date,comment_deadline,entry_into_force_date,document_link\n"
)


def csv_file(text: str, name: str = "n.csv") -> InputFile:
    data = text.encode("utf-8-sig")
    return InputFile(name, lambda: io.BytesIO(data))


def test_documented_columns(members):
    text = HEADER + (
        'G/TBT/N/KOR/1000,wto,,KOR,"Toys, safety",Đồ chơi,Tóm tắt,Desc,Toys,9503.00;9504,97.200.50,'
        "human_health;Quality requirements,toys;children,2026-01-05,06/03/2026,,https://example.org/k.pdf\n"
        ",other,ASEAN-2026-7,THA,Rice labelling,,,,,1006,,,,2026-02-01,,,\n"
    )
    report = import_files("csv", [csv_file(text)])
    assert report.created == 2 and report.error_count == 0
    kor = Notification.objects.get(symbol="G/TBT/N/KOR/1000")
    assert kor.title == "Toys, safety" and kor.title_vi == "Đồ chơi"
    assert kor.hs_codes == ["9503.00", "9504"] and kor.ics_codes == ["97.200.50"]
    assert kor.objectives == ["human_health", "quality"]
    assert kor.keywords == ["toys", "children"]
    assert kor.comment_deadline == date(2026, 3, 6)
    other = Notification.objects.get(source="other", external_id="ASEAN-2026-7")
    assert other.symbol is None and other.member.code == "THA"


def test_rows_without_key_member_or_with_bad_values(members):
    text = HEADER + (
        ",wto,,KOR,No symbol,,,,,,,,,,,,\n"
        "G/TBT/N/KOR/1,,,,No member,,,,,,,,,,,,\n"
        "G/TBT/N/KOR/2,,,KOR,Bad date,,,,,,,,,2026-13-01,,,\n"
        "G/TBT/N/KOR/3,nowhere,,KOR,Bad source,,,,,,,,,,,,\n"
        "G/TBT/N/KOR/4,,,KOR,Fine,,,,,,,,,,,,\n"
        "G/TBT/N/KOR/4,,,KOR,Duplicate,,,,,,,,,,,,\n"
        "G/TBT/N/KOR/5,,,KOR\n"
    )
    report = import_files("csv", [csv_file(text)])
    assert report.created == 1
    assert sorted((e["line"], e["code"]) for e in report.errors) == [
        (2, "missing_value"),
        (3, "missing_value"),
        (4, "bad_date"),
        (5, "bad_value"),
        (7, "duplicate"),
        (8, "incomplete_row"),
    ]


def test_missing_columns(members):
    report = import_files("csv", [csv_file("symbol,title\nG/TBT/N/KOR/1,x\n")])
    assert report.errors[0]["code"] == "missing_columns" and report.errors[0]["params"]["columns"] == ["member"]
    report = import_files("csv", [csv_file("member,title\nKOR,x\n")])
    assert report.errors[0]["code"] == "missing_columns"
    assert Notification.objects.count() == 0


def test_absent_column_leaves_the_field_alone(members):
    import_files("csv", [csv_file("symbol,member,title,description\nG/TBT/N/KOR/9,KOR,T,Kept\n")])
    report = import_files("csv", [csv_file("symbol,member,title\nG/TBT/N/KOR/9,KOR,T2\n")])
    assert report.updated == 1
    n = Notification.objects.get()
    assert (n.title, n.description) == ("T2", "Kept")


def test_export_imports_back_unchanged(corpus):
    exported = "".join(_csv_lines(SearchParams())).encode("utf-8")
    report = import_files("csv", [InputFile("export.csv", lambda: io.BytesIO(exported))])
    assert report.error_count == 0, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 7)
