"""Every attachment rule of tbt_portal.files, with real files and disguised ones."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tbt_portal import files
from tests.inquiries.conftest import ELF, JPEG, MZ, PDF, PNG, ooxml, upload


@pytest.mark.parametrize(
    ("name", "content", "served"),
    [
        ("bao-cao.pdf", PDF, "application/pdf"),
        ("nhan.png", PNG, "image/png"),
        ("anh.jpg", JPEG, "image/jpeg"),
        ("anh.JPEG", JPEG, "image/jpeg"),
        ("van-ban.docx", ooxml("word"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("bang.xlsx", ooxml("xl"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_real_files_are_accepted(name, content, served):
    checked = files.check_upload(upload(name, content))
    assert checked.content_type == served
    assert checked.size == len(content)
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("invoice.pdf", ELF),  # a Linux executable renamed .pdf
        ("setup.pdf", MZ),  # a Windows executable renamed .pdf
        ("letter.docx", MZ),  # a Windows executable renamed .docx
        ("table.xlsx", ELF),
        ("photo.jpg", PNG),  # a PNG is not a JPEG
        ("photo.png", JPEG),
        ("letter.docx", ooxml("xl")),  # a spreadsheet renamed .docx
        ("table.xlsx", ooxml("word")),
        ("letter.docx", ooxml("other")),  # a ZIP that is no Office document
        ("scan.pdf", b"PK\x03\x04 not a pdf"),
    ],
)
def test_content_must_match_extension(name, content):
    with pytest.raises(ValidationError) as info:
        files.check_upload(upload(name, content))
    assert info.value.code == "file_content"


@pytest.mark.parametrize(
    "name",
    ["tool.exe", "script.js", "page.html", "archive.zip", "old.doc", "noextension", "image.svg", "report.pdf.exe"],
)
def test_other_types_are_refused(name):
    with pytest.raises(ValidationError) as info:
        files.check_upload(upload(name, PDF))
    assert info.value.code == "file_type"


def test_size_limit_is_ten_megabytes():
    at_limit = PDF + b"0" * (files.MAX_FILE_BYTES - len(PDF))
    assert files.check_upload(upload("ok.pdf", at_limit)).size == files.MAX_FILE_BYTES
    with pytest.raises(ValidationError) as info:
        files.check_upload(upload("big.pdf", at_limit + b"0"))
    assert info.value.code == "file_size"


def test_empty_file_is_refused():
    with pytest.raises(ValidationError) as info:
        files.check_upload(upload("empty.pdf", b""))
    assert info.value.code == "file_empty"


def test_at_most_five_files():
    assert len(files.check_uploads([upload(f"f{i}.pdf", PDF) for i in range(5)])) == 5
    with pytest.raises(ValidationError) as info:
        files.check_uploads([upload(f"f{i}.pdf", PDF) for i in range(6)])
    assert info.value.code == "file_count"


def test_every_bad_file_is_reported_at_once():
    with pytest.raises(ValidationError) as info:
        files.check_uploads([upload("a.pdf", ELF), upload("b.exe", PDF), upload("c.pdf", PDF)])
    assert len(info.value.messages) == 2


def test_uploaded_name_is_cleaned_and_storage_name_is_generated():
    assert files.clean_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert files.clean_name("C:\\Users\\x\\Báo cáo\r\n.pdf") == "Báo cáo.pdf"
    name = files.storage_name("inquiries/question", "pdf")
    assert name.startswith("inquiries/question/") and name.endswith(".pdf")
    assert name != files.storage_name("inquiries/question", "pdf")
    assert "Báo" not in name


def test_content_disposition_is_safe_attachment():
    header = files.content_disposition('Báo cáo "quý" 1;\r\nSet-Cookie: x.pdf')
    assert header.startswith("attachment; ")
    assert "\r" not in header and "\n" not in header
    assert "filename*=UTF-8''B%C3%A1o%20c%C3%A1o" in header
    ascii_part = header.split('filename="')[1].split('"')[0]
    assert ascii_part.isascii() and ";" not in ascii_part
