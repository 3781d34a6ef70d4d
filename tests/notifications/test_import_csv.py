"""The portal's CSV format: documented header, lists, round trip with the CSV export."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.utils import translation

from notifications.exports import _csv_lines
from notifications.importers import InputFile, import_files
from notifications.importers.report import error_message, refused_count
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


# --- Quotes that break the file ---------------------------------------------------------------------
SHORT = "symbol,member,title,description\n"


def imported() -> dict[str, str]:
    return dict(Notification.objects.values_list("symbol", "description"))


def test_a_quote_left_open_in_a_last_column_refuses_that_row_only(members):
    text = SHORT + (
        "G/TBT/N/KOR/1,KOR,One,Fine\n"
        'G/TBT/N/KOR/2,KOR,Two,"Opened and never closed\n'
        "G/TBT/N/KOR/3,KOR,Three,Fine\n"
        "G/TBT/N/KOR/4,KOR,Four,Fine\n"
    )
    report = import_files("csv", [csv_file(text)])
    assert (report.created, report.error_count, report.total) == (3, 1, 4)
    assert imported() == {"G/TBT/N/KOR/1": "Fine", "G/TBT/N/KOR/3": "Fine", "G/TBT/N/KOR/4": "Fine"}
    [error] = report.errors
    assert (error["line"], error["code"]) == (3, "unclosed_quote")
    with translation.override("en"):
        assert "A quote opened on line 3 is never closed" in error_message(error)


def test_a_file_cut_inside_a_quoted_last_field_says_which_lines_were_not_read(members):
    text = SHORT + (
        "G/TBT/N/KOR/1,KOR,One,Fine\n"
        'G/TBT/N/KOR/2,KOR,Two,"First paragraph, with a comma\n'
        "\n"
        "Second paragraph, cut off her"
    )
    report = import_files("csv", [csv_file(text)])
    assert report.created == 1 and imported() == {"G/TBT/N/KOR/1": "Fine"}
    [error] = report.errors
    assert (error["line"], error["code"], error["params"]) == (3, "unclosed_quote_skipped", {"last": 5})
    with translation.override("en"):
        assert "line 3" in error_message(error) and "up to line 5" in error_message(error)


def test_a_stray_quote_closed_by_another_one_does_not_swallow_rows(members):
    # The quote opened on line 3 is "closed" by the inch mark on line 4: a lenient reader makes one
    # row of the two, silently.
    text = SHORT + (
        "G/TBT/N/KOR/1,KOR,One,Fine\n"
        'G/TBT/N/KOR/2,KOR,Two,"Stray\n'
        'G/TBT/N/KOR/3,KOR,Three,Screens of 12"\n'
        "G/TBT/N/KOR/4,KOR,Four,Fine\n"
    )
    report = import_files("csv", [csv_file(text)])
    assert imported() == {"G/TBT/N/KOR/1": "Fine", "G/TBT/N/KOR/3": 'Screens of 12"', "G/TBT/N/KOR/4": "Fine"}
    assert [(e["line"], e["code"]) for e in report.errors] == [(3, "unclosed_quote")]


def test_a_misplaced_quote_is_reported_and_reading_goes_on(members):
    text = SHORT + ('G/TBT/N/KOR/1,KOR,"Toys" and games,Fine\nG/TBT/N/KOR/2,KOR,Two,Fine\n')
    report = import_files("csv", [csv_file(text)])
    assert imported() == {"G/TBT/N/KOR/2": "Fine"}
    assert [(e["line"], e["code"]) for e in report.errors] == [(2, "bad_quote")]


def test_quoted_values_over_several_lines_still_work(members):
    text = SHORT + (
        'G/TBT/N/KOR/1,KOR,"Toys, games",'
        '"Scope: toys, games and ""puzzles"".\r\n\r\nSecond paragraph; third line, with commas, here."\r\n'
        "G/TBT/N/KOR/2,KOR,Two,Fine\r\n"
        'G/TBT/N/KOR/3,KOR,Three,"Two\nlines"\n'
        "G/TBT/N/KOR/3,KOR,Again,Duplicate\n"
    )
    report = import_files("csv", [csv_file(text)])
    assert report.created == 3
    assert Notification.objects.get(symbol="G/TBT/N/KOR/1").description == (
        'Scope: toys, games and "puzzles".\r\n\r\nSecond paragraph; third line, with commas, here.'
    )
    assert imported()["G/TBT/N/KOR/3"] == "Two\nlines"
    # Rows are numbered by the line where they start.
    assert [(e["line"], e["code"], e["params"]["first_line"]) for e in report.errors] == [(8, "duplicate", 6)]


def test_the_export_with_a_multi_line_description_imports_back(corpus):
    Notification.objects.filter(symbol="G/TBT/N/JPN/586").update(description="One, two\nthree, four, five\n\nsix")
    exported = "".join(_csv_lines(SearchParams())).encode("utf-8")
    report = import_files("csv", [InputFile("export.csv", lambda: io.BytesIO(exported))])
    assert report.errors == [] and report.unchanged == 7


# --- Columns the importer does not know ---------------------------------------------------------------
def test_an_unknown_column_is_a_warning_not_a_refusal(members):
    text = "symbol,member,title,coment_deadline,Extra\nG/TBT/N/KOR/1,KOR,T,2026-03-01,x\nG/TBT/N/KOR/2,KOR,U,,\n"
    report = import_files("csv", [csv_file(text)])
    assert (report.created, report.error_count, report.warning_count) == (2, 0, 1)
    [warning] = report.stored_errors()
    assert (warning["line"], warning["code"], warning["level"]) == (1, "unknown_columns", "warning")
    assert warning["params"]["columns"] == ["coment_deadline", "extra"]
    assert refused_count(report.stored_errors()) == 0
    with translation.override("en"):
        message = error_message(warning)
    assert "coment_deadline, extra" in message and "comment_deadline" in message
    assert Notification.objects.get(symbol="G/TBT/N/KOR/1").comment_deadline is None


def test_refused_count_leaves_warnings_out(members):
    text = "symbol,member,colour\nG/TBT/N/KOR/1,Atlantis,red\nG/TBT/N/KOR/2,KOR,red\nG/TBT/N/KOR/2,KOR,red\n"
    report = import_files("csv", [csv_file(text)])
    assert (report.error_count, report.warning_count) == (2, 1)
    assert refused_count(report.stored_errors()) == 2


# --- A symbol that names another member ---------------------------------------------------------------
def test_a_symbol_of_another_member_is_refused(members):
    text = "symbol,member,title\n" + (
        "G/TBT/N/KOR/777,CHN,Korea's symbol said to be China's\n"
        "G/TBT/N/KOR/778,Korea,Fine\n"
        "G/TBT/N/EU/1185,European Union,Fine\n"
        "G/TBT/N/TPKM/500,Chinese Taipei,Fine\n"
        "G/TBT/N/EEC/12,EU,Historical code: not checked\n"
    )
    report = import_files("csv", [csv_file(text)])
    assert set(Notification.objects.values_list("symbol", "member__code")) == {
        ("G/TBT/N/KOR/778", "KOR"),
        ("G/TBT/N/EU/1185", "EU"),
        ("G/TBT/N/TPKM/500", "TPKM"),
        ("G/TBT/N/EEC/12", "EU"),
    }
    [error] = report.errors
    assert (error["line"], error["code"]) == (2, "symbol_member")
    assert error["params"] == {"symbol": "G/TBT/N/KOR/777", "symbol_member": "KOR", "member": "CHN"}
    with translation.override("en"):
        assert "G/TBT/N/KOR/777 belongs to member KOR, but the member given is CHN" in error_message(error)
