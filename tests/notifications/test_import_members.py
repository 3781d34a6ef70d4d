"""How import files name members: codes, ePing's numbers and the names in use (aliases)."""

from __future__ import annotations

import pytest

from network.models import WTOMember
from notifications.importers.members import ALIASES, MemberResolver
from tests.notifications import search_helpers

pytestmark = pytest.mark.django_db
members = search_helpers.members


@pytest.fixture
def resolver(members) -> MemberResolver:
    return MemberResolver()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("United States of America", "USA"),
        ("United States", "USA"),
        ("U.S.A.", "USA"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("turkiye", "TUR"),
        ("Korea", "KOR"),
        ("Republic of Korea", "KOR"),
        ("Korea, Republic of", "KOR"),
        ("  KOREA ,republic   OF ", "KOR"),
        ("Chinese Taipei", "TPKM"),
        ("Taiwan", "TPKM"),
        ("TWN", "TPKM"),
        ("TPKM", "TPKM"),
        ("European Union", "EU"),
        ("European Communities", "EU"),
        ("EU", "EU"),
        ("Viet Nam", "VNM"),
        ("Vietnam", "VNM"),
        ("Việt Nam", "VNM"),
        ("Hong Kong, China", "HKG"),
        ("Hong Kong", "HKG"),
        ("Macao, China", "MAC"),
        ("Russian Federation", "RUS"),
        ("Russia", "RUS"),
        ("Kyrgyz Republic", "KGZ"),
        ("Slovak Republic", "SVK"),
        ("Czech Republic", "CZE"),
        ("Czechia", "CZE"),
        ("Moldova, Republic of", "MDA"),
        ("Saudi Arabia, Kingdom of", "SAU"),
        ("Bahrain, Kingdom of", "BHR"),
        ("Kuwait, the State of", "KWT"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("côte d’ivoire", "CIV"),
        ("Lao People's Democratic Republic", "LAO"),
        ("Laos", "LAO"),
        ("The Gambia", "GMB"),
        ("Gambia", "GMB"),
        ("Hàn Quốc", "KOR"),
        ("C840", "USA"),
        ("U918", "EU"),
        ("KR", "KOR"),
    ],
)
def test_names_in_use(resolver, name, code):
    assert resolver.code_of(resolver.resolve(name)) == code


@pytest.mark.parametrize("name", ["Atlantis", "Korea, Democratic People's Republic of", "", "Taiwanese"])
def test_unknown_names(resolver, name):
    assert resolver.resolve(name) is None


def test_ec_is_ecuador_outside_tris(resolver):
    assert resolver.code_of(resolver.resolve("EC")) == "ECU"
    assert resolver.code_of(resolver.resolve_tris("EC")) == "EU"  # TRIS: the Commission


def test_every_alias_points_to_a_member_of_the_reference_list(members):
    codes = set(WTOMember.objects.values_list("code", flat=True))
    assert set(ALIASES) <= codes


def test_a_reference_name_wins_over_an_alias(members):
    WTOMember.objects.filter(code="KOR").update(name_en="Korea")
    WTOMember.objects.create(code="ZZZ", iso2="", iso_numeric="", name_en="Taiwan", name_vi="Taiwan")
    resolver = MemberResolver()
    assert resolver.code_of(resolver.resolve("Taiwan")) == "ZZZ"
    assert resolver.code_of(resolver.resolve("Korea")) == "KOR"
