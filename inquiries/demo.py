"""Demo enquiries for the portal started by ``make run`` (``manage.py inquiries_demo``), idempotent.

Five enquiries, each submitted through ``inquiry_submit`` as the public form does and then moved on
by the officials' own services, so that every demo account finds something in its queue:

- a foreign enquiry point's question just received (the national point triages it);
- an association's question led by the Ministry of Industry and Trade, with a contribution asked
  from the Ministry of Science and Technology;
- the demo business's question, answered (it shows under "My enquiries");
- a Hà Nội business's question taken up locally by the Hà Nội provincial point (Đ6.3.b);
- the demo business's question led by the Ministry of Health, with a contribution asked from the
  Ministry of Industry and Trade.

Each enquiry is known by a fixed idempotency key (the key the public form gives each displayed
form): ``inquiry_submit`` returns the existing enquiry for it, and an enquiry that already existed
is left as it is, whatever the officials did with it since.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db import transaction

from network.models import HSCode, Point, Province, User, WTOMember

from . import services
from .models import Inquiry

CONSENT_VERSION = "2026-01"
# uuid5 names under this namespace are the demo enquiries' idempotency keys.
DEMO_NAMESPACE = uuid.UUID("6f1d7a52-3c4e-4b8e-9a51-0d2f5c7e9b13")

NATIONAL_EMAIL = "national.officer@demo.tbt.example"
MINISTRY_EMAIL = "ministry.officer@demo.tbt.example"
PROVINCIAL_EMAIL = "provincial.officer@demo.tbt.example"
BUSINESS_EMAIL = "business@demo.tbt.example"
MINISTRY_POINT = "bo-cong-thuong"
PROVINCIAL_POINT = "tinh-01"

# What each enquiry is moved to after it is received.
RECEIVED = "received"
LED_BY_MINISTRY = "led_by_ministry"
ANSWERED = "answered"
LOCAL = "local"
MINISTRY_CONTRIBUTES = "ministry_contributes"


@dataclass(frozen=True)
class DemoInquiry:
    slug: str
    plan: str
    subject: str
    question: str
    asker_type: str
    language: str = "vi"
    name: str = ""
    organisation: str = ""
    email: str = ""
    by_demo_business: bool = False  # asked by business@demo.tbt.example while logged in
    province_gso: str = ""
    hs_codes: tuple[str, ...] = ()
    markets: tuple[str, ...] = ()
    notification_symbol: str = ""
    lead_point: str = ""
    contributing_points: tuple[str, ...] = field(default_factory=tuple)
    answer: str = ""

    @property
    def key(self) -> uuid.UUID:
        return uuid.uuid5(DEMO_NAMESPACE, self.slug)


DEMO_INQUIRIES: tuple[DemoInquiry, ...] = (
    DemoInquiry(
        slug="nz-electric-bicycles",
        plan=RECEIVED,
        asker_type=Inquiry.AskerType.WTO_MEMBER,
        language="en",
        name="Sarah Thompson",
        organisation="New Zealand TBT Enquiry Point",
        email="tbt.enquiries@newzealand.example",
        subject="Conformity assessment of electric bicycles imported into Viet Nam",
        question=(
            "Could you tell us which technical regulation applies to electric bicycles imported into Viet Nam, "
            "which conformity assessment procedure is required (type testing or batch certification), and whether "
            "test reports from laboratories accredited under the ILAC arrangement are accepted?"
        ),
        hs_codes=("871160",),
    ),
    DemoInquiry(
        slug="textile-formaldehyde-fabric",
        plan=LED_BY_MINISTRY,
        asker_type=Inquiry.AskerType.ASSOCIATION,
        name="Ngô Thị Phương",
        organisation="Hiệp hội Dệt may Demo",
        email="vanphong@detmay-demo.example.vn",
        province_gso="79",
        subject="Giới hạn formaldehyde đối với vải nhập khẩu để gia công hàng xuất khẩu",
        question=(
            "Hội viên của Hiệp hội nhập khẩu vải cotton để may gia công áo sơ mi xuất khẩu. Vải nhập khẩu này có "
            "phải kiểm tra hàm lượng formaldehyde và amin thơm theo QCVN 01:2017/BCT không? Nếu có, phòng thử "
            "nghiệm nào được chỉ định và kết quả thử nghiệm của nước xuất khẩu có được thừa nhận không?"
        ),
        hs_codes=("5208", "6205"),
        lead_point=MINISTRY_POINT,
        contributing_points=("bo-khoa-hoc-va-cong-nghe",),
    ),
    DemoInquiry(
        slug="coffee-labelling-eu",
        plan=ANSWERED,
        asker_type=Inquiry.AskerType.BUSINESS,
        by_demo_business=True,
        province_gso="66",
        subject="Ghi nhãn cà phê rang xay xuất khẩu sang EU",
        question=(
            "Công ty chúng tôi chuẩn bị xuất khẩu cà phê rang xay đóng gói 250 g sang Đức. Nhãn sản phẩm cần những "
            "nội dung bắt buộc nào theo quy định của EU, và có phải ghi bằng tiếng Đức không?"
        ),
        hs_codes=("0901",),
        markets=("EU",),
        lead_point=MINISTRY_POINT,
        answer=(
            "Theo Quy định (EU) số 1169/2011 về cung cấp thông tin thực phẩm cho người tiêu dùng, nhãn cà phê rang "
            "xay đóng gói sẵn phải có: tên sản phẩm, khối lượng tịnh, hạn sử dụng tốt nhất, điều kiện bảo quản, "
            "tên và địa chỉ của nhà nhập khẩu hoặc đơn vị chịu trách nhiệm tại EU, xuất xứ khi việc không ghi có thể "
            "gây hiểu nhầm, và số lô. Các thông tin bắt buộc phải được ghi bằng ngôn ngữ dễ hiểu đối với người tiêu "
            "dùng tại nước thành viên bán hàng, với thị trường Đức là tiếng Đức. Doanh nghiệp nên thống nhất mẫu "
            "nhãn với nhà nhập khẩu trước khi in bao bì."
        ),
    ),
    DemoInquiry(
        slug="hanoi-ceramic-tiles-thailand",
        plan=LOCAL,
        asker_type=Inquiry.AskerType.BUSINESS,
        name="Trịnh Văn Sơn",
        organisation="Công ty Cổ phần Gốm sứ Bát Tràng Demo",
        email="xuatkhau@gomsu-demo.example.vn",
        province_gso="01",
        subject="Chứng nhận TISI bắt buộc đối với gạch ốp lát xuất khẩu sang Thái Lan",
        question=(
            "Thái Lan vừa thông báo dự thảo áp dụng bắt buộc tiêu chuẩn TIS 2508 cho gạch gốm ốp lát "
            "(G/TBT/N/THA/761). Công ty chúng tôi đang xuất khẩu gạch men sang Thái Lan: khi nào quy định có hiệu lực "
            "và thủ tục chứng nhận với TISI gồm những bước nào?"
        ),
        hs_codes=("6907",),
        markets=("THA",),
        notification_symbol="G/TBT/N/THA/761",
        lead_point=PROVINCIAL_POINT,
    ),
    DemoInquiry(
        slug="china-prepackaged-food-labelling",
        plan=MINISTRY_CONTRIBUTES,
        asker_type=Inquiry.AskerType.BUSINESS,
        by_demo_business=True,
        province_gso="66",
        subject="Ghi nhãn thực phẩm bao gói sẵn xuất khẩu sang Trung Quốc theo dự thảo sửa đổi GB 7718",
        question=(
            "Dự thảo sửa đổi GB 7718 của Trung Quốc (G/TBT/N/CHN/2045) yêu cầu ghi thông tin chất gây dị ứng. Sản "
            "phẩm hạt điều rang muối và sầu riêng sấy của công ty chúng tôi có phải ghi chất gây dị ứng không, và nhãn "
            "phụ tiếng Trung có được dán sau khi hàng đến cảng không?"
        ),
        hs_codes=("2008",),
        markets=("CHN",),
        notification_symbol="G/TBT/N/CHN/2045",
        lead_point="bo-y-te",
        contributing_points=(MINISTRY_POINT,),
    ),
)


@dataclass(frozen=True)
class DemoActors:
    national: User
    ministry: User
    provincial: User
    business: User


def demo_actors() -> DemoActors | None:
    """The demo accounts that act on the enquiries (network/demo.py), or None when one is missing."""
    wanted = {"national": NATIONAL_EMAIL, "ministry": MINISTRY_EMAIL, "provincial": PROVINCIAL_EMAIL,
              "business": BUSINESS_EMAIL}  # fmt: skip
    users = {u.email: u for u in User.objects.filter(email__in=wanted.values(), is_active=True)}
    if any(email not in users for email in wanted.values()):
        return None
    return DemoActors(**{role: users[email] for role, email in wanted.items()})


def _submission(spec: DemoInquiry, actors: DemoActors) -> services.Submission:
    business = actors.business
    return services.Submission(
        name=business.full_name if spec.by_demo_business else spec.name,
        organisation=business.organisation if spec.by_demo_business else spec.organisation,
        email=business.email if spec.by_demo_business else spec.email,
        phone="0243 791 0000" if spec.language == "vi" else "",
        asker_type=spec.asker_type,
        province=Province.objects.get(gso_code=spec.province_gso) if spec.province_gso else None,
        subject=spec.subject,
        question=spec.question,
        language=spec.language,
        consent_version=CONSENT_VERSION,
        notification_symbol=spec.notification_symbol,
        hs_codes=list(HSCode.objects.filter(code__in=spec.hs_codes)),
        markets=list(WTOMember.objects.filter(code__in=spec.markets)),
    )


def _route(inquiry: Inquiry, spec: DemoInquiry, actors: DemoActors) -> Inquiry:
    """Move a just-received enquiry to its demo state, as the officials would on their screens."""
    if spec.plan == RECEIVED:
        return inquiry
    points = {p.code: p for p in Point.objects.filter(code__in=[spec.lead_point, *spec.contributing_points])}
    lead = points[spec.lead_point]
    contributing = [points[code] for code in spec.contributing_points]
    if spec.plan == LOCAL:
        # The asker's provincial point takes it up itself (handled locally, Đ6.3.b).
        return services.inquiry_assign(inquiry=inquiry, actor=actors.provincial, lead_point=lead)
    inquiry = services.inquiry_assign(
        inquiry=inquiry, actor=actors.national, lead_point=lead, contributing_points=contributing
    )
    if spec.plan == ANSWERED:
        inquiry = services.inquiry_draft_answer(inquiry=inquiry, actor=actors.ministry, text=spec.answer)
        inquiry = services.inquiry_approve(inquiry=inquiry, actor=actors.national)
    return inquiry


def inquiries_demo_build(*, actors: DemoActors) -> list[tuple[DemoInquiry, Inquiry, bool]]:
    """Submit and route the demo enquiries; (spec, enquiry, created) each. A second run changes nothing."""
    out = []
    for spec in DEMO_INQUIRIES:
        with transaction.atomic():
            inquiry, created = services.inquiry_submit(
                data=_submission(spec, actors),
                files=[],
                idempotency_key=spec.key,
                user=actors.business if spec.by_demo_business else None,
            )
            if created:
                inquiry = _route(inquiry, spec, actors)
        out.append((spec, inquiry, created))
    return out
