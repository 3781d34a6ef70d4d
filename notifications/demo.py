"""Demo WTO TBT notifications for the portal started by ``make run`` (``manage.py notifications_demo``).

After ``create_demo_accounts`` the portal has people but nothing to work on. This brings in nine
partners' notifications the way real ones arrive, through the ePing importer (so the national
point's triage deadlines open as they do for a scheduled fetch): seven still open for comments and
business input, two closed. Then, through the same services the officials use, it verifies the
Vietnamese title and summary of four, forwards one to the Ministry of Industry and Trade for an
impact note, and files two draft measure dossiers of that ministry (one draft, one sent to the
national point for review).

Idempotent: partners' notifications are known by their WTO symbol and the dossiers by their title,
so a second run (even on a later day, when the relative dates would differ) changes nothing.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from network.models import Point, User

from . import services, services_in
from .gate import add_months
from .importers import InputFile, error_message, import_files
from .models import Notification

DEMO_NOTE = "demo"  # the note of the import events, next to the actor-less "notification_imported"
MINISTRY_POINT = "bo-cong-thuong"
# Who acts, among the accounts of network/demo.py.
NATIONAL_EMAIL = "national.officer@demo.tbt.example"
MINISTRY_EMAIL = "ministry.officer@demo.tbt.example"


@dataclass(frozen=True)
class DemoIncoming:
    """A partner's notification, in the fields an ePing record carries."""

    symbol: str
    member: str  # WTO code as in network/data/wto_members.csv
    title: str
    description: str
    products: str
    hs_codes: tuple[str, ...]
    ics_codes: tuple[str, ...]
    objectives: tuple[str, ...]  # ePing wording, mapped to the model's codes by the importer
    keywords: tuple[str, ...]
    deadline_in_days: int  # final date for comments, from the day of the first run (negative: closed)
    entry_into_force: str
    title_vi: str = ""  # a verified Vietnamese title and summary, written by the national point
    summary_vi: str = ""
    forward_to: tuple[str, ...] = field(default_factory=tuple)  # ministry points asked for an impact note
    triage_note: str = ""

    def eping_record(self, today: date) -> dict[str, Any]:
        deadline = today + timedelta(days=self.deadline_in_days)
        # A 60-day comment period, as the TBT Committee recommends; never distributed in the future.
        distributed = today - timedelta(days=max(2, 60 - self.deadline_in_days))
        return {
            "documentSymbol": self.symbol,
            "notifyingMember": self.member,
            "distributionDate": distributed.isoformat(),
            "commentDeadlineDate": deadline.isoformat(),
            "proposedEntryIntoForceDate": self.entry_into_force,
            "title": self.title,
            "description": self.description,
            "productsFreeText": self.products,
            "hsCodes": list(self.hs_codes),
            "icsCodes": list(self.ics_codes),
            "objectives": list(self.objectives),
            "keywords": list(self.keywords),
        }


DEMO_INCOMING: tuple[DemoIncoming, ...] = (
    DemoIncoming(
        symbol="G/TBT/N/EU/1185",
        member="EU",
        title=(
            "Draft Commission Delegated Regulation supplementing Regulation (EU) 2023/1542 of the European "
            "Parliament and of the Council by establishing the methodology for the calculation and verification "
            "of the carbon footprint of rechargeable industrial batteries with a capacity greater than 2 kWh"
        ),
        description=(
            "The draft Delegated Regulation lays down the rules for calculating and verifying the carbon footprint "
            "of rechargeable industrial batteries with a capacity greater than 2 kWh, as required by Article 7 of "
            "Regulation (EU) 2023/1542. It sets out the functional unit, the system boundaries, the data quality "
            "requirements and the content of the carbon footprint declaration that must accompany each battery "
            "model placed on the Union market."
        ),
        products="Rechargeable industrial batteries with a capacity greater than 2 kWh (lithium-ion accumulators)",
        hs_codes=("850760", "850780"),
        ics_codes=("29.220.20", "13.020.60"),
        objectives=("Protection of the environment", "Consumer information, labelling"),
        keywords=("batteries", "carbon footprint", "lithium-ion"),
        deadline_in_days=60,
        entry_into_force="20 days after publication in the Official Journal of the European Union",
        title_vi=(
            "Dự thảo Quy định ủy quyền của Ủy ban châu Âu về phương pháp tính và xác minh dấu vết carbon của pin "
            "công nghiệp sạc lại có dung lượng trên 2 kWh (bổ sung Quy định (EU) 2023/1542 về pin)"
        ),
        summary_vi=(
            "Dự thảo quy định cách tính và xác minh dấu vết carbon của pin công nghiệp sạc lại dung lượng trên "
            "2 kWh đưa ra thị trường EU: đơn vị chức năng, ranh giới hệ thống, yêu cầu chất lượng dữ liệu và nội "
            "dung tờ khai dấu vết carbon kèm theo từng mẫu pin. Doanh nghiệp Việt Nam sản xuất, xuất khẩu pin "
            "lithium-ion hoặc thiết bị lưu trữ năng lượng sang EU cần chuẩn bị dữ liệu vòng đời sản phẩm."
        ),
    ),
    DemoIncoming(
        symbol="G/TBT/N/USA/2172",
        member="USA",
        title="Safety Standard for Clothing Storage Units; Notice of proposed rulemaking",
        description=(
            "The Consumer Product Safety Commission (CPSC) proposes to revise the mandatory safety standard for "
            "clothing storage units (CSUs), such as chests, bureaus and dressers, to reduce the risk of injury and "
            "death from tip-overs. The proposal updates the stability test methods (testing on carpet, with drawers "
            "open and filled) and adds marking, labelling and hang tag requirements that give consumers a "
            "stability rating."
        ),
        products=(
            "Clothing storage units (chests of drawers, bureaus, dressers, wardrobes), freestanding, 27 inches "
            "(68.6 cm) or more in height"
        ),
        hs_codes=("940350", "940360"),
        ics_codes=("97.140",),
        objectives=("Protection of human health or safety", "Consumer information, labelling"),
        keywords=("furniture", "tip-over", "stability"),
        deadline_in_days=45,
        entry_into_force="180 days after publication of the final rule in the Federal Register",
        title_vi=(
            "Tiêu chuẩn an toàn đối với tủ đựng quần áo (tủ ngăn kéo, tủ áo): đề xuất sửa đổi của Ủy ban An toàn "
            "Sản phẩm Tiêu dùng Hoa Kỳ (CPSC)"
        ),
        summary_vi=(
            "CPSC đề xuất sửa đổi tiêu chuẩn bắt buộc chống lật đổ đối với tủ ngăn kéo, tủ áo đứng cao từ 27 inch "
            "(khoảng 69 cm): phương pháp thử độ ổn định mới (thử trên thảm, ngăn kéo mở và chất tải), yêu cầu ghi "
            "nhãn và thẻ treo thông báo mức độ ổn định. Ảnh hưởng trực tiếp đến doanh nghiệp đồ gỗ nội thất xuất "
            "khẩu sang Hoa Kỳ."
        ),
    ),
    DemoIncoming(
        symbol="G/TBT/N/CHN/2045",
        member="CHN",
        title="National Food Safety Standard — General Standard for the Labelling of Prepackaged Foods (draft revision of GB 7718)",
        description=(
            "This standard specifies the labelling requirements for prepackaged foods supplied directly or "
            "indirectly to consumers: name of the food, list of ingredients, net content, name and address of the "
            "producer or distributor, date marking, storage conditions and country of origin. The revision "
            "introduces the mandatory declaration of major allergens, rules for expressing the shelf life and "
            "requirements for digital labels."
        ),
        products="Prepackaged foods",
        hs_codes=("2008", "1905", "2106"),
        ics_codes=("67.040",),
        objectives=("Consumer information, labelling", "Protection of human health or safety"),
        keywords=("food labelling", "allergens", "prepackaged food"),
        deadline_in_days=60,
        entry_into_force="18 months after publication",
    ),
    DemoIncoming(
        symbol="G/TBT/N/JPN/872",
        member="JPN",
        title=(
            "Partial revision of the Interpretation of the Ministerial Ordinance Setting Technical Standards for "
            "Electrical Appliances and Materials"
        ),
        description=(
            "The interpretation of the technical standards under the Electrical Appliances and Materials Safety "
            "Act is revised to adopt the latest editions of the IEC 60335-2 series for household electric heating "
            "appliances, including electric kettles, rice cookers and hot plates."
        ),
        products="Electric kettles, rice cookers and other household electric heating appliances",
        hs_codes=("851660", "851671"),
        ics_codes=("97.040.50", "13.120"),
        objectives=("Protection of human health or safety", "Harmonization"),
        keywords=("electrical safety", "household appliances"),
        deadline_in_days=-12,
        entry_into_force="1 April of next year",
    ),
    DemoIncoming(
        symbol="G/TBT/N/KOR/1268",
        member="KOR",
        title="Partial amendments to the Safety Confirmation Safety Standards for Children's Products (toys)",
        description=(
            "The Korean Agency for Technology and Standards (KATS) proposes to amend the common safety standards for "
            "children's products and the safety standards for toys: limits on phthalate plasticisers (DEHP, DBP, "
            "BBP, DINP, DIDP, DnOP) and on heavy metals in coatings and substrates, and new requirements for button "
            "batteries and small magnets."
        ),
        products="Toys and children's products for children under 13 years of age",
        hs_codes=("9503",),
        ics_codes=("97.200.50",),
        objectives=("Protection of human health or safety",),
        keywords=("toys", "phthalates", "children's products"),
        deadline_in_days=35,
        entry_into_force="6 months after publication",
        title_vi="Sửa đổi một phần tiêu chuẩn an toàn đối với sản phẩm dành cho trẻ em (đồ chơi) của Hàn Quốc",
        summary_vi=(
            "Cơ quan Công nghệ và Tiêu chuẩn Hàn Quốc (KATS) đề xuất sửa đổi tiêu chuẩn an toàn chung đối với "
            "sản phẩm dành cho trẻ em dưới 13 tuổi và tiêu chuẩn an toàn đồ chơi: giới hạn chất hóa dẻo phthalate "
            "(DEHP, DBP, BBP, DINP, DIDP, DnOP) và kim loại nặng trong lớp phủ, vật liệu nền; yêu cầu mới đối với "
            "pin cúc áo và nam châm nhỏ. Doanh nghiệp Việt Nam xuất khẩu đồ chơi, đồ dùng trẻ em sang Hàn Quốc cần "
            "rà soát vật liệu và hồ sơ thử nghiệm."
        ),
    ),
    DemoIncoming(
        symbol="G/TBT/N/THA/761",
        member="THA",
        title="Draft Ministerial Regulation prescribing ceramic tiles to conform with the standard (TIS 2508-25xx)",
        description=(
            "The Ministry of Industry proposes to make the Thai Industrial Standard for ceramic tiles (TIS 2508) "
            "mandatory, covering dimensional tolerances, water absorption, breaking strength, chemical resistance "
            "and marking. Products, whether manufactured in Thailand or imported, must be certified by the Thai "
            "Industrial Standards Institute (TISI) before being placed on the market."
        ),
        products="Glazed and unglazed ceramic tiles",
        hs_codes=("690721", "690722", "690723"),
        ics_codes=("91.100.23",),
        objectives=("Quality requirements", "Protection of human health or safety"),
        keywords=("ceramic tiles", "mandatory standard", "certification"),
        deadline_in_days=50,
        entry_into_force="180 days after publication in the Government Gazette",
    ),
    DemoIncoming(
        symbol="G/TBT/N/IDN/182",
        member="IDN",
        title=(
            "Draft Regulation of the Minister of Industry on the mandatory implementation of the Indonesian "
            "National Standard (SNI) for cold-rolled steel sheets and coils"
        ),
        description=(
            "The draft regulation makes SNI 07-3567 for cold-rolled steel sheets and coils mandatory. Products, "
            "domestic or imported, must bear the SNI mark and hold a product certificate (SPPT-SNI) issued by an "
            "accredited certification body after factory inspection and type testing; imports also require a "
            "technical consideration letter from the Ministry of Industry."
        ),
        products="Flat-rolled products of iron or non-alloy steel, cold-rolled, not clad, plated or coated",
        hs_codes=("720916", "720917", "720918"),
        ics_codes=("77.140.50",),
        objectives=("Quality requirements", "Protection of human health or safety"),
        keywords=("steel", "SNI", "certification"),
        deadline_in_days=45,
        entry_into_force="12 months after promulgation",
        title_vi=(
            "Dự thảo Quy định của Bộ trưởng Bộ Công nghiệp Indonesia về áp dụng bắt buộc Tiêu chuẩn quốc gia "
            "Indonesia (SNI) đối với thép tấm và thép cuộn cán nguội"
        ),
        summary_vi=(
            "Thép tấm, thép cuộn cán nguội sản xuất trong nước hoặc nhập khẩu vào Indonesia phải đáp ứng SNI "
            "07-3567, mang dấu SNI và có giấy chứng nhận sản phẩm (SPPT-SNI) do tổ chức chứng nhận được công nhận "
            "cấp sau khi đánh giá nhà máy và thử nghiệm mẫu; hàng nhập khẩu cần thêm văn bản xem xét kỹ thuật của "
            "Bộ Công nghiệp. Ảnh hưởng đến các doanh nghiệp thép Việt Nam xuất khẩu sang Indonesia."
        ),
        forward_to=(MINISTRY_POINT,),
        triage_note="Ảnh hưởng đến thép cán nguội xuất khẩu của Việt Nam.",
    ),
    DemoIncoming(
        symbol="G/TBT/N/MYS/148",
        member="MYS",
        title=(
            "Electricity (Amendment) Regulations: minimum energy performance standards and energy efficiency "
            "labelling for air-conditioners, refrigerators and televisions"
        ),
        description=(
            "The Energy Commission (Suruhanjaya Tenaga) proposes to raise the minimum energy performance standards "
            "(MEPS) for room air-conditioners, domestic refrigerators and televisions, and to require the 1 to 5 "
            "star energy efficiency label based on MS ISO 16358 and MS IEC 62552."
        ),
        products="Room air-conditioners, domestic refrigerators and refrigerator-freezers, televisions",
        hs_codes=("841510", "841810", "852872"),
        ics_codes=("27.015", "23.120", "97.040.30"),
        objectives=(
            "Protection of the environment",
            "Consumer information, labelling",
            "Cost saving and productivity enhancement",
        ),
        keywords=("energy efficiency", "MEPS", "energy label"),
        deadline_in_days=65,
        entry_into_force="1 January of the second year after publication",
    ),
    DemoIncoming(
        symbol="G/TBT/N/PHL/325",
        member="PHL",
        title=(
            "Draft Department Administrative Order on the technical regulations concerning the mandatory product "
            "certification of pneumatic tyres for passenger cars, light trucks and motorcycles"
        ),
        description=(
            "The Department of Trade and Industry (DTI) revises the mandatory certification of new pneumatic tyres "
            "under the Philippine Standard (PS) Mark or Import Commodity Clearance (ICC) schemes, referring to PNS "
            "UNECE R30, R54 and R75 for dimensions, load and speed performance and marking."
        ),
        products="New pneumatic tyres of rubber for passenger cars, light trucks and motorcycles",
        hs_codes=("401110", "401120", "401140"),
        ics_codes=("83.160.10",),
        objectives=("Protection of human health or safety", "Quality requirements"),
        keywords=("tyres", "PS mark", "ICC"),
        deadline_in_days=-5,
        entry_into_force="90 days after publication",
    ),
)


@dataclass(frozen=True)
class DemoDossier:
    """A draft measure of the Ministry of Industry and Trade, as its officer fills in the WTO form."""

    title: str
    submit: bool
    fields: dict[str, Any]

    def data(self, today: date) -> dict[str, Any]:
        planned = today + timedelta(days=14)
        adoption = today + timedelta(days=150)
        return {
            "followup_kind": "",
            "followup_of_symbol": "",
            "addendum_reason": "",
            "local_government": "",
            "agency_responsible": "Ministry of Industry and Trade of Viet Nam, 54 Hai Ba Trung, Hoan Kiem, Ha Noi",
            "comment_body": "",
            "articles": ["2.9.2"],
            "title": self.title,
            "languages": "Vietnamese",
            "related_symbols": [],
            "proposed_adoption_date": adoption,
            "proposed_adoption_text": "",
            "entry_into_force_date": add_months(adoption, 7),
            "entry_into_force_text": "",
            "is_urgent": False,
            "planned_distribution_date": planned,
            "comment_deadline": planned + timedelta(days=60),
            "texts_available": "National TBT Enquiry Point of Viet Nam (STAMEQ), 8 Hoang Quoc Viet, Cau Giay, Ha Noi",
            "document_link": "",
            **self.fields,
        }


DEMO_DOSSIERS: tuple[DemoDossier, ...] = (
    DemoDossier(
        title="Draft National Technical Regulation on safety of refillable welded steel cylinders for liquefied "
        "petroleum gas (LPG)",
        submit=False,
        fields={
            "products_text": "Refillable welded steel cylinders for liquefied petroleum gas (LPG), water capacity "
            "from 0.5 litres to 150 litres",
            "hs_codes": ["731100"],
            "ics_codes": ["23.020.35"],
            "pages": "28",
            "description": "The draft regulation sets out technical requirements for the design, materials, "
            "manufacture, testing, marking and periodic inspection of refillable welded steel LPG cylinders, and "
            "the conformity assessment procedures (type testing and batch certification) for cylinders "
            "manufactured in Viet Nam or imported.",
            "objectives": ["human_health"],
            "rationale": "Prevention of fire and explosion hazards from LPG cylinders used in households and "
            "businesses.",
            "relevant_documents": "ISO 22991:2004; TCVN 6292:2013",
        },
    ),
    DemoDossier(
        title="Draft National Technical Regulation on the content limits of formaldehyde and certain aromatic "
        "amines derived from azo colourants in textile products (revision of QCVN 01:2017/BCT)",
        submit=True,
        fields={
            "products_text": "Textile products for infants, textile products in direct contact with the skin and "
            "other textile products (garments, household linen)",
            "hs_codes": ["6109", "6204", "6302"],
            "ics_codes": ["59.080.01", "61.020"],
            "pages": "19",
            "description": "The draft regulation revises the limits of free and hydrolysed formaldehyde (30 mg/kg "
            "for infants' products, 75 mg/kg for products in contact with the skin, 300 mg/kg for others) and of "
            "22 aromatic amines released from azo colourants (30 mg/kg each), the test methods, and the "
            "conformity assessment of domestic and imported textile products.",
            "objectives": ["human_health", "consumer_information"],
            "rationale": "Protection of consumers' health from harmful chemicals in textile products.",
            "relevant_documents": "ISO 14184-1:2011; ISO 14362-1:2017; Regulation (EC) No 1907/2006, Annex XVII",
        },
    ),
)


@dataclass
class DemoResult:
    """What a run did: (label, object, created or changed now) per demo object."""

    incoming: list[tuple[str, Notification, bool]] = field(default_factory=list)
    dossiers: list[tuple[str, Notification, bool]] = field(default_factory=list)


class DemoImportError(RuntimeError):
    pass


def _import_missing(today: date) -> set[str]:
    """Import the demo notifications not in the portal yet, through the ePing importer; the symbols
    imported now. Those already there are not re-imported: a later run would move their dates."""
    present = set(
        Notification.objects.filter(symbol__in=[d.symbol for d in DEMO_INCOMING]).values_list("symbol", flat=True)
    )
    missing = [d for d in DEMO_INCOMING if d.symbol not in present]
    if not missing:
        return set()
    payload = json.dumps({"notifications": [d.eping_record(today) for d in missing]}, ensure_ascii=False)
    source = InputFile("demo-notifications.json", partial(io.BytesIO, payload.encode("utf-8")))
    report = import_files("eping", [source], actor=None, note=DEMO_NOTE)
    if report.error_count:
        raise DemoImportError("; ".join(error_message(e) for e in report.errors))
    return {d.symbol for d in missing}


def notifications_demo_build(*, national: User, ministry: User) -> DemoResult:
    """Bring the demo notifications in and move them to their demo state; a second run changes
    nothing. ``national``: the national point's officer who triages and verifies; ``ministry``: an
    officer of the Ministry of Industry and Trade's point, who files the dossiers."""
    today = timezone.localdate()
    result = DemoResult()
    moit = Point.objects.get(code=MINISTRY_POINT)
    with transaction.atomic():
        imported = _import_missing(today)
        by_symbol = {n.symbol: n for n in Notification.objects.filter(symbol__in=[d.symbol for d in DEMO_INCOMING])}
        for spec in DEMO_INCOMING:
            n = by_symbol[spec.symbol]
            changed = spec.symbol in imported
            # Only a notification nobody has touched yet: an official's own text or triage stays.
            if spec.title_vi and not (n.title_vi or n.summary_vi or n.vi_verified_at):
                n = services_in.notification_vietnamese_save(
                    notification=n, actor=national, title_vi=spec.title_vi, summary_vi=spec.summary_vi, verified=True
                )
                changed = True
            if spec.forward_to and n.state == Notification.State.RECEIVED:
                n = services_in.notification_triage(
                    notification=n,
                    actor=national,
                    relevant=True,
                    points=list(Point.objects.filter(code__in=spec.forward_to)),
                    note=spec.triage_note,
                )
                changed = True
            result.incoming.append((spec.symbol, n, changed))
        for dossier in DEMO_DOSSIERS:
            n_out = Notification.objects.filter(
                direction=Notification.Direction.OUT, point=moit, title=dossier.title
            ).first()
            changed = False
            if n_out is None:
                n_out = services.dossier_create(actor=ministry, point=moit, data=dossier.data(today))
                changed = True
                if dossier.submit:
                    n_out = services.dossier_submit(notification=n_out, actor=ministry)
            result.dossiers.append((dossier.title, n_out, changed))
    return result
