"""CSV and XLSX exports of a search."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from notifications.exports import COLUMNS
from tests.conftest import client_for
from tests.notifications import search_helpers
from tests.notifications.search_helpers import make_notification

pytestmark = pytest.mark.django_db
corpus = search_helpers.corpus
members = search_helpers.members


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.mark.parametrize("role", ["anonymous", "business", "national", "admin"])
def test_csv_export_of_a_search(cast, corpus, role):
    response = client_for(cast[role]).get(reverse("notifications:export_csv"), {"q": "tieu chuan", "sort": "newest"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == list(COLUMNS)
    assert [r[0] for r in rows[1:]] == ["G/TBT/N/USA/1990", "G/TBT/N/CHN/1278"]
    usa = dict(zip(COLUMNS, rows[1], strict=True))
    assert usa["member"] == "USA" and usa["keywords"] == "toys; safety"
    assert usa["objectives"] == "human_health; consumer_information"
    assert usa["url"].endswith(corpus["usa"].get_absolute_url())


def test_exports_never_contain_drafts(corpus):
    rows = csv_rows(client_for(None).get(reverse("notifications:export_csv")))
    assert len(rows) == 8
    assert not any("Secret draft" in cell for row in rows for cell in row)


def test_formulas_are_neutralised(members):
    make_notification(symbol="G/TBT/N/KOR/5", member="KOR", title='=HYPERLINK("http://evil")')
    rows = csv_rows(client_for(None).get(reverse("notifications:export_csv")))
    assert rows[1][COLUMNS.index("title")] == '\'=HYPERLINK("http://evil")'
    response = client_for(None).get(reverse("notifications:export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=COLUMNS.index("title") + 1)
    assert cell.value == '=HYPERLINK("http://evil")' and cell.data_type == "s"


def test_export_cap_is_said(corpus, settings):
    settings.NOTIFICATION_EXPORT_MAX_ROWS = 3
    rows = csv_rows(client_for(None).get(reverse("notifications:export_csv")))
    assert len(rows) == 1 + 3 + 1 and rows[-1][0].startswith("# ")
    sheet = load_workbook(io.BytesIO(client_for(None).get(reverse("notifications:export_xlsx")).content)).active
    assert sheet.max_row == 1 + 3 + 1


def test_xlsx_export(corpus):
    response = client_for(None).get(reverse("notifications:export_xlsx"), {"member": "VNM", "sort": "newest"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(COLUMNS)
    assert [r[0] for r in rows[1:]] == ["G/TBT/N/VNM/298", "G/TBT/N/VNM/29"]
    assert rows[1][COLUMNS.index("title_vi")].startswith("Dự thảo quy chuẩn")
