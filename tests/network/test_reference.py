"""Reference data: what the loader loads, that a second run changes nothing, and the demo accounts."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from board.models import BoardAgency
from network.calendar import add_working_days
from network.demo import DEFAULT_PASSWORD, DEMO_ACCOUNTS
from network.models import Holiday, HSCode, ICSCode, Point, Province, User, WTOMember
from network.reference import reference_load_all

pytestmark = pytest.mark.django_db

MINISTRY_CODES = {
    "bo-cong-an", "bo-cong-thuong", "bo-khoa-hoc-va-cong-nghe", "bo-nong-nghiep-va-moi-truong", "bo-noi-vu",
    "bo-van-hoa-the-thao-va-du-lich", "bo-xay-dung", "bo-y-te",
}  # fmt: skip


def _results(**kwargs) -> dict[str, tuple[int, int, int]]:
    return {r.kind: (r.created, r.updated, r.unchanged) for r in reference_load_all(**kwargs)}


def _snapshot() -> dict[str, list]:
    return {
        "points": list(Point.objects.order_by("code").values()),
        "provinces": list(Province.objects.order_by("gso_code").values()),
        "wto": list(WTOMember.objects.order_by("code").values()),
        "holidays": list(Holiday.objects.order_by("date").values()),
        "hs": list(
            HSCode.objects.order_by("code").values_list("code", "description", "parent", "level", "search_text")
        ),
        "ics": list(ICSCode.objects.order_by("code").values_list("code", "title", "parent", "level", "search_text")),
        "agencies": list(BoardAgency.objects.order_by("code").values()),
    }


def test_first_load_counts_every_kind():
    assert _results() == {
        "provinces": (34, 0, 0),
        "points": (43, 0, 0),
        "wto_members": (166, 0, 0),
        "holidays": (46, 0, 0),
        "hs": (6939, 0, 0),
        "ics": (1381, 0, 0),
        "board_agencies": (15, 0, 0),
    }
    assert Point.objects.filter(level=Point.Level.NATIONAL).count() == 1
    assert set(Point.objects.filter(level=Point.Level.MINISTRY).values_list("code", flat=True)) == MINISTRY_CODES
    assert Point.objects.filter(level=Point.Level.PROVINCIAL, province__isnull=False).count() == 34
    assert set(HSCode.objects.values_list("level", flat=True).distinct()) == {2, 4, 6}
    assert set(ICSCode.objects.values_list("level", flat=True).distinct()) == {1, 2, 3}


def test_second_run_changes_nothing():
    reference_load_all()
    before = _snapshot()
    second = _results()
    assert all(created == 0 and updated == 0 for created, updated, _ in second.values())
    assert second["hs"] == (0, 0, 6939)
    assert second["points"] == (0, 0, 43)
    assert _snapshot() == before


def test_command_reports_counts_and_quiet_prints_nothing():
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    assert "hs" in out.getvalue() and "6939 created" in out.getvalue()
    assert "Reference data loaded." in out.getvalue()
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    assert "6939 unchanged" in out.getvalue() and "Reference data up to date." in out.getvalue()
    out = StringIO()
    call_command("load_reference_data", quiet=True, stdout=out)
    assert out.getvalue() == ""
    assert Point.objects.count() == 43


def test_a_changed_row_is_restored_from_the_file():
    reference_load_all()
    HSCode.objects.filter(code="851713").update(description="tampered", search_text="tampered")
    WTOMember.objects.filter(code="VNM").update(name_vi="sai")
    results = _results()
    assert results["hs"] == (0, 1, 6938)
    assert results["wto_members"] == (0, 1, 165)
    hs = HSCode.objects.get(code="851713")
    assert hs.description == "Telephone sets; smartphones for cellular or other wireless networks"
    assert hs.search_text == "851713 telephone sets; smartphones for cellular or other wireless networks"
    assert WTOMember.objects.get(code="VNM").name_vi == "Việt Nam"


def test_points_keep_administrators_edits_unless_overwritten():
    reference_load_all()
    Point.objects.get(code="bo-y-te").save()  # a plain save keeps everything equal
    point = Point.objects.get(code="bo-y-te")
    point.phone = "024 6273 2273"
    point.save(update_fields=["phone"])
    assert _results()["points"] == (0, 0, 43)
    assert Point.objects.get(code="bo-y-te").phone == "024 6273 2273"
    assert _results(overwrite=True)["points"] == (0, 1, 42)
    assert Point.objects.get(code="bo-y-te").phone == ""


def test_holiday_years_belong_to_administrators_once_seeded():
    reference_load_all()
    # An administrator moves the provisional 2027 National Day adjacent day and deletes a Tết day.
    Holiday.objects.filter(date=date(2027, 9, 3)).update(date=date(2027, 9, 1))
    Holiday.objects.filter(date=date(2027, 2, 11)).delete()
    assert _results()["holidays"] == (0, 0, 46)
    assert Holiday.objects.filter(date=date(2027, 9, 1)).exists()
    assert not Holiday.objects.filter(date__in=[date(2027, 9, 3), date(2027, 2, 11)]).exists()
    # A year missing from the table is seeded from the file.
    Holiday.objects.filter(date__year=2024).delete()
    assert _results()["holidays"] == (11, 0, 35)
    # --overwrite puts every date of the file back (the administrator's extra day stays).
    results = _results(overwrite=True)["holidays"]
    assert results == (2, 0, 44)
    assert Holiday.objects.filter(date__in=[date(2027, 9, 3), date(2027, 2, 11), date(2027, 9, 1)]).count() == 3


def test_points_have_the_regulations_data():
    reference_load_all()
    national = Point.objects.get(code="national")
    assert national.name_vi.startswith("Ủy ban Tiêu chuẩn Đo lường Chất lượng Quốc gia")
    assert national.agency_vi == "Bộ Khoa học và Công nghệ"
    assert national.unit_vi == "Văn phòng TBT Việt Nam"
    assert national.email == "tbtvn@tbtvn.org" and national.website == "https://www.tbtvn.org"
    assert "8 Hoàng Quốc Việt" in national.address
    assert national.duties_vi.startswith("Điểm TBT quốc gia là cơ quan duy nhất")
    assert national.duties_en.startswith("The national TBT point is the only body")
    ministry = Point.objects.get(code="bo-cong-thuong")
    assert ministry.agency_vi == "Bộ Công Thương" and ministry.agency_en == "Ministry of Industry and Trade"
    assert "trong thời hạn 15 ngày kể từ ngày được Bộ trưởng phê duyệt" in ministry.duties_vi
    assert "within 15 days of the Minister's approval" in ministry.duties_en
    hanoi = Point.objects.get(code="tinh-01")
    assert hanoi.province is not None and hanoi.province.name_vi == "Hà Nội"
    assert hanoi.agency_vi == "Ủy ban nhân dân thành phố Hà Nội"
    assert hanoi.unit_vi == "Sở Khoa học và Công nghệ thành phố Hà Nội"
    assert "ha noi" in hanoi.search_text
    assert Point.objects.get(code="tinh-79").province.name_vi == "Hồ Chí Minh"  # type: ignore[union-attr]
    assert Point.objects.get(code="tinh-56").agency_vi == "Ủy ban nhân dân tỉnh Khánh Hoà"
    assert "vượt quá thẩm quyền của địa phương" in hanoi.duties_vi


def test_wto_members_facts():
    reference_load_all()
    assert WTOMember.objects.count() == 166  # the WTO counts the EU among its 166 members
    assert WTOMember.objects.filter(is_eu_state=True).count() == 27
    eu = WTOMember.objects.get(code="EU")
    assert eu.name_en == "European Union" and not eu.is_eu_state
    taipei = WTOMember.objects.get(code="TPKM")
    assert (taipei.iso2, taipei.iso_numeric, taipei.name_en) == ("TW", "158", "Chinese Taipei")
    assert WTOMember.objects.get(code="HKG").iso_numeric == "344"
    assert WTOMember.objects.get(code="MAC").iso2 == "MO"
    vietnam = WTOMember.objects.get(code="VNM")
    assert (vietnam.iso2, vietnam.iso_numeric, vietnam.accession_date) == ("VN", "704", date(2007, 1, 11))
    assert WTOMember.objects.get(code="USA").accession_date == date(1995, 1, 1)
    assert WTOMember.objects.filter(accession_date=date(1995, 1, 1)).count() == 76
    assert WTOMember.objects.get(code="TLS").accession_date == date(2024, 8, 30)
    assert all(len(m.iso_numeric) == 3 for m in WTOMember.objects.exclude(code="EU"))


def test_holidays_include_five_tet_days_a_year_and_drive_working_days():
    reference_load_all()
    for year, lunar_new_year in [(2024, date(2024, 2, 10)), (2025, date(2025, 1, 29)), (2026, date(2026, 2, 17)),
                                 (2027, date(2027, 2, 6))]:  # fmt: skip
        tet = Holiday.objects.filter(date__year=year, name_vi="Tết Nguyên đán")
        assert tet.count() == 5
        assert all(abs((day - lunar_new_year).days) <= 6 for day in tet.values_list("date", flat=True))
        assert Holiday.objects.filter(date=date(year, 9, 2)).exists()
    assert Holiday.objects.get(date=date(2025, 4, 7)).name_en.startswith("Hung Kings")
    # Friday 13/2/2026 + 1 working day jumps the Tết week (16–20/2) to Monday 23/2/2026.
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)


def test_board_agencies_follow_article_10():
    reference_load_all()
    agencies = list(BoardAgency.objects.order_by("sort_order"))
    assert len(agencies) == 15
    assert agencies[0].name_vi == "Văn phòng Chính phủ" and agencies[0].kind == BoardAgency.Kind.GOVERNMENT
    assert {a.code for a in agencies if a.kind == BoardAgency.Kind.MINISTRY} >= {"bo-tu-phap", "bo-cong-thuong"}
    assert [a.kind for a in agencies].count(BoardAgency.Kind.ASSOCIATION) == 4
    assert agencies[-1].code == "vcci"


# --- Demo accounts ----------------------------------------------------------------------------
def test_demo_accounts_refused_outside_demo_and_debug(settings, reference):
    settings.DEMO_MODE = False
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEMO_MODE=1 or DEBUG=1"):
        call_command("create_demo_accounts", stdout=StringIO())
    assert not User.objects.filter(email__endswith="@demo.tbt.example").exists()


def test_demo_accounts_need_the_points(settings, db):
    settings.DEMO_MODE = True
    with pytest.raises(CommandError, match="load_reference_data"):
        call_command("create_demo_accounts", stdout=StringIO())
    assert not User.objects.exists()


def test_demo_accounts_one_per_role_and_idempotent(settings, reference, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    settings.DEMO_MODE = True
    out = StringIO()
    call_command("create_demo_accounts", stdout=out)
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.tbt.example")}
    assert len(users) == len(DEMO_ACCOUNTS) == 8
    assert {u.role for u in users.values()} == set(User.Role.values)
    assert users["ministry.officer@demo.tbt.example"].point.code == "bo-cong-thuong"  # type: ignore[union-attr]
    assert users["provincial.officer@demo.tbt.example"].point.code == "tinh-01"  # type: ignore[union-attr]
    assert users["national.head@demo.tbt.example"].is_head
    admin = users["admin@demo.tbt.example"]
    assert admin.is_staff and admin.is_superuser and admin.is_portal_admin
    assert all(u.check_password(DEFAULT_PASSWORD) for u in users.values())
    assert "ministry.officer@demo.tbt.example" in out.getvalue() and DEFAULT_PASSWORD in out.getvalue()

    before = list(User.objects.order_by("email").values())
    out = StringIO()
    call_command("create_demo_accounts", stdout=out)
    assert list(User.objects.order_by("email").values()) == before
    assert "(0 created or updated)" in out.getvalue()


def test_demo_accounts_password_from_environment_and_repair(settings, reference, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("DEMO_PASSWORD", "Another-Demo-Pass-1")
    call_command("create_demo_accounts", stdout=StringIO())
    user = User.objects.get(email="business@demo.tbt.example")
    assert user.check_password("Another-Demo-Pass-1")
    User.objects.filter(pk=user.pk).update(role=User.Role.ADMIN, is_active=False)
    call_command("create_demo_accounts", stdout=StringIO())
    user.refresh_from_db()
    assert user.role == User.Role.BUSINESS and user.is_active


def test_every_loaded_value_fits_its_column():
    """SQLite ignores max_length; PostgreSQL does not. Check the files against the model fields."""
    reference_load_all()
    for model in (Province, Point, WTOMember, Holiday, HSCode, ICSCode, BoardAgency):
        for field in model._meta.concrete_fields:
            if getattr(field, "max_length", None) and field.get_internal_type() in ("CharField", "SlugField"):
                longest = max((len(v or "") for v in model.objects.values_list(field.attname, flat=True)), default=0)
                assert longest <= field.max_length, (model.__name__, field.name, longest)
