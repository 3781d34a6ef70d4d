"""Fixtures of the enquiry tests: real files (good and disguised), submitted enquiries, form tokens."""

from __future__ import annotations

import io
import time
import uuid
import zipfile

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile

from inquiries import services
from inquiries.forms import TOKEN_SALT
from inquiries.models import Inquiry
from network.models import HSCode, Point, Province, WTOMember

# --- real files ----------------------------------------------------------------------------------
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def ooxml(kind: str) -> bytes:
    """A minimal real DOCX (kind="word") or XLSX (kind="xl") package."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        package.writestr("_rels/.rels", "<Relationships/>")
        if kind == "word":
            package.writestr("word/document.xml", "<w:document/>")
        elif kind == "xl":
            package.writestr("xl/workbook.xml", "<workbook/>")
        else:
            package.writestr("evil/payload.txt", "not an office file")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- form tokens ---------------------------------------------------------------------------------
def token(age_seconds: int = 60, key: uuid.UUID | None = None) -> str:
    """A signed form token issued ``age_seconds`` ago."""
    signer = signing.TimestampSigner(salt=TOKEN_SALT)
    value = f"{(key or uuid.uuid4()).hex}{signer.sep}{signing.b62_encode(int(time.time()) - age_seconds)}"
    return signing.Signer.sign(signer, value)


def form_data(**overrides) -> dict:
    data = {
        "name": "Bùi Văn Nam",
        "organisation": "Công ty TNHH Vina Export",
        "email": "nam@vinaexport.example.vn",
        "phone": "+84 24 3791 1234",
        "asker_type": "business",
        "province": str(Province.objects.get(gso_code="01").pk),
        "subject": "Yêu cầu ghi nhãn cà phê xuất khẩu",
        "question": "Cà phê rang xay xuất khẩu sang EU cần ghi nhãn thế nào?",
        "hs_codes": "0901",
        "notification_symbol": "",
        "language": "vi",
        "consent": "on",
        "consent_version": "2026-01",
        "homepage_url": "",
        "form_token": token(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- enquiries -----------------------------------------------------------------------------------
def submit(
    *,
    user=None,
    email="nam@vinaexport.example.vn",
    asker_type="business",
    province_code="01",
    files=(),
    language="vi",
    name="Bùi Văn Nam",
    organisation="Công ty TNHH Vina Export",
    ip_hash="",
) -> Inquiry:
    data = services.Submission(
        name=name,
        organisation=organisation,
        email=email,
        phone="0912345678",
        asker_type=asker_type,
        province=Province.objects.filter(gso_code=province_code).first() if province_code else None,
        subject="Ghi nhãn cà phê xuất khẩu sang EU",
        question=f"Câu hỏi của {name} về nhãn cà phê ({email}).",
        language=language,
        consent_version="2026-01",
        hs_codes=list(HSCode.objects.filter(code="0901")),
        markets=list(WTOMember.objects.filter(code__in=["EU"])),
    )
    inquiry, _created = services.inquiry_submit(
        data=data, files=list(files), idempotency_key=uuid.uuid4(), user=user, ip_hash=ip_hash
    )
    return inquiry


def point(code: str) -> Point:
    return Point.objects.get(code=code)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def received(reference, media) -> Inquiry:
    """A new enquiry from a Hà Nội business (its provincial point tinh-01 may handle it locally)."""
    return submit()


@pytest.fixture
def assigned(received, national_officer) -> Inquiry:
    """Lead: Ministry of Health (bo-y-te); contributing: Ministry of Industry and Trade (bo-cong-thuong)."""
    return services.inquiry_assign(
        inquiry=received,
        actor=national_officer,
        lead_point=point("bo-y-te"),
        contributing_points=[point("bo-cong-thuong")],
    )


@pytest.fixture
def drafted(assigned, ministry_officer, other_ministry_officer) -> Inquiry:
    services.contribution_file(
        inquiry=assigned, actor=ministry_officer, point=point("bo-cong-thuong"), text="Phần của Bộ Công Thương."
    )
    return services.inquiry_draft_answer(inquiry=assigned, actor=other_ministry_officer, text="Câu trả lời hợp nhất.")


@pytest.fixture
def answered(drafted, national_officer) -> Inquiry:
    return services.inquiry_approve(inquiry=drafted, actor=national_officer)
