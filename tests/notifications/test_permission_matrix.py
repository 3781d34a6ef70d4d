"""One role × route table for every screen and API endpoint of the notifications app (search,
exports and feeds, imports, the workflow screens, the REST API), read by GET, and for every route
that takes a POST, posted with a valid body: no read → 404 (or the login page for anonymous
visitors of official screens), read but no write → 403, the wrong method → 405.

Each object is built in the state where its rightful role may act, and that role is shown to get
through (200 on GET; a redirect and a change on POST), so the refusals of the others mean
something. A refused POST must change nothing. A guard test fails when a notifications route is
added without a row here (same style as tests/network/test_matrix.py)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from openpyxl import load_workbook

from network.models import Deadline, Event, OutboxEmail, Point, WTOMember
from notifications import services, services_in
from notifications.models import (
    BusinessInput,
    ImpactNote,
    ImportRun,
    Notification,
    NotificationComment,
    NotificationDocument,
)
from tests.conftest import client_for
from tests.notifications.workflow_helpers import (
    accepted,
    complete_data,
    make_dossier,
    make_incoming,
    notified,
    submitted,
    today,
)

pytestmark = pytest.mark.django_db

ROLES = ["national", "ministry", "other_ministry", "provincial", "board_member", "board_secretary", "admin",
         "business", "anonymous"]  # fmt: skip
LOGIN = "login"  # anonymous visitors of an official screen are sent to the login page
DONE = 302  # a valid POST by the rightful role redirects to the result
REFUSED = (403, 404, 405, LOGIN)

MOIT = "bo-cong-thuong"  # the owning ministry point ("ministry"); "other_ministry" is Health's point


def grid(default: int | str, **cells: int | str) -> dict[str, int | str]:
    """The expected outcome per role: ``default`` for every role not named."""
    assert set(cells) <= set(ROLES), set(cells) - set(ROLES)
    return {**dict.fromkeys(ROLES, default), **cells}


PUBLIC = grid(200)
NOBODY = grid(404)
OWNER_AND_NATIONAL = grid(404, ministry=200, national=200)  # a draft dossier and its files, internal files
NATIONAL_ACTS_ON_PUBLIC = grid(403, national=200, anonymous=LOGIN)  # public record, only the national point acts
POST_ONLY = grid(405, anonymous=LOGIN)  # GET of a POST-only action (login_required comes first)
GET_ONLY = grid(405)  # POST to a public GET-only page or endpoint

API_LIST, API_DETAIL = "notifications-api-list", "notifications-api-detail"


def n(name: str) -> str:
    return f"notifications:{name}"


# (route name, object key, expected outcome per role) for a GET.
GET_MATRIX: list[tuple[str, str, dict[str, int | str]]] = [
    # search, exports, feeds: public
    (n("search"), "", PUBLIC),
    (n("export_csv"), "", PUBLIC),
    (n("export_xlsx"), "", PUBLIC),
    (n("feed_atom"), "", PUBLIC),
    (n("feed_ical"), "", PUBLIC),
    # imports: administrators only
    (n("import_upload"), "", grid(404, admin=200, anonymous=LOGIN)),
    (n("import_run"), "run", grid(404, admin=200, anonymous=LOGIN)),
    # REST API: public notifications only, for everyone
    (API_LIST, "", PUBLIC),
    (API_DETAIL, "notified", PUBLIC),
    (API_DETAIL, "incoming", PUBLIC),
    (API_DETAIL, "draft", NOBODY),
    # work queues and dossier lists
    (n("work"), "", grid(404, national=200, ministry=200, other_ministry=200, provincial=200, anonymous=LOGIN)),
    (n("dossiers"), "", grid(404, national=200, ministry=200, other_ministry=200, anonymous=LOGIN)),
    # the national point reads dossiers but does not file them
    (n("dossier_new"), "", grid(404, ministry=200, other_ministry=200, national=403, anonymous=LOGIN)),
    # a follow-up of a notified dossier: only its owning ministry; the others read the parent (403)
    (n("dossier_new"), "follows_notified", grid(404, ministry=200, other_ministry=403, national=403, anonymous=LOGIN)),
    # a follow-up of a draft: the owner reads it but may not follow it up; Health may not read it
    (n("dossier_new"), "follows_draft", grid(404, ministry=403, national=403, anonymous=LOGIN)),
    # the record page
    (n("detail"), "draft", OWNER_AND_NATIONAL),
    (n("detail"), "submitted", OWNER_AND_NATIONAL),
    (n("detail"), "accepted", OWNER_AND_NATIONAL),
    (n("detail"), "notified", PUBLIC),
    (n("detail"), "incoming", PUBLIC),
    # the ministry's dossier screens
    (n("dossier_edit"), "draft", grid(404, ministry=200, national=403, anonymous=LOGIN)),
    (n("dossier_edit"), "submitted", grid(404, ministry=403, national=403, anonymous=LOGIN)),
    (n("dossier_edit"), "notified", grid(403, anonymous=LOGIN)),
    (n("dossier_submit"), "draft", grid(404, ministry=200, national=403, anonymous=LOGIN)),
    (n("dossier_submit"), "accepted", grid(404, ministry=403, national=403, anonymous=LOGIN)),
    # the national point's review and notification
    (n("dossier_review"), "submitted", grid(404, national=200, ministry=403, anonymous=LOGIN)),
    (n("dossier_review"), "draft", grid(404, national=403, ministry=403, anonymous=LOGIN)),
    (n("dossier_notify"), "accepted", grid(404, national=200, ministry=403, anonymous=LOGIN)),
    (n("dossier_notify"), "notified", grid(403, anonymous=LOGIN)),
    # documents
    (n("document_add"), "draft", grid(404, ministry=200, national=200, anonymous=LOGIN)),
    (n("document_add"), "notified", grid(403, ministry=200, national=200, anonymous=LOGIN)),
    (n("document_add"), "incoming", grid(403, anonymous=LOGIN)),
    (n("document"), "draft_doc", OWNER_AND_NATIONAL),
    (n("document"), "public_doc", PUBLIC),
    (n("document"), "comment_file", OWNER_AND_NATIONAL),  # a comment's file is internal
    # comments received on Vietnam's notifications
    (n("comment_new"), "notified", NATIONAL_ACTS_ON_PUBLIC),
    (n("comment_new"), "draft", grid(404, national=403, ministry=403, anonymous=LOGIN)),
    (n("comment"), "routed", grid(404, national=200, ministry=200, anonymous=LOGIN)),
    (n("comment"), "national_draft", grid(404, national=200, ministry=200, anonymous=LOGIN)),
    (n("comment_route"), "received", POST_ONLY),
    (n("comment_reply"), "routed", POST_ONLY),
    (n("comment_send"), "drafted", POST_ONLY),
    (n("comment_return"), "drafted", POST_ONLY),
    (n("national_comment_send"), "national_draft", POST_ONLY),
    (n("partner_reply"), "national_sent", POST_ONLY),
    # partners' notifications: triage, impact notes, Vietnamese summary, Vietnam's comment
    (n("triage"), "fresh", NATIONAL_ACTS_ON_PUBLIC),
    (n("triage"), "draft", grid(404, national=403, ministry=403, anonymous=LOGIN)),
    # the ministry's own note; the national point reads every note but writes none (403)
    (n("impact_note"), "incoming", grid(404, ministry=200, national=403, anonymous=LOGIN)),
    # the national point and the ministry analysing it
    (n("vietnamese"), "incoming", grid(403, national=200, ministry=200, anonymous=LOGIN)),
    (n("vietnamese"), "notified", grid(403, anonymous=LOGIN)),
    (n("national_comment_new"), "incoming", NATIONAL_ACTS_ON_PUBLIC),
    # business input: a public form on an open partner's draft, a notice once closed
    (n("input"), "incoming", PUBLIC),
    (n("input"), "closed", PUBLIC),
    (n("input"), "notified", NOBODY),
    (n("input"), "draft", NOBODY),
    (n("input_thanks"), "input", PUBLIC),
    # a logged-in user's own inputs (each sees only their own; an empty list for the others)
    (n("my_inputs"), "", grid(200, anonymous=LOGIN)),
]  # fmt: skip


def _dossier_form(title: str) -> dict[str, Any]:
    """A complete dossier as the form posts it."""
    post: dict[str, Any] = {}
    for key, value in complete_data(title=title).items():
        if value in (None, False, "", []):
            continue
        if key in ("hs_codes", "ics_codes", "related_symbols"):
            post[key] = ", ".join(value)
        elif hasattr(value, "isoformat"):
            post[key] = value.isoformat()
        else:
            post[key] = value
    return post


def _moit(_w: World) -> int:
    return Point.objects.get(code=MOIT).pk


NEW_TITLE, EDITED_TITLE = "Filed through the matrix", "Edited through the matrix"

# Valid bodies of each POST (built from the world: points, members, dates).
DATA: dict[str, Callable[[World], dict[str, Any]]] = {
    "none": lambda w: {},
    "import": lambda w: {"format": "csv", "upload": SimpleUploadedFile("n.csv", b"symbol\n", "text/csv")},
    "dossier_new": lambda w: _dossier_form(NEW_TITLE),
    "dossier_edit": lambda w: _dossier_form(EDITED_TITLE),
    "accept": lambda w: {"decision": "accept", "remarks": ""},
    "notify": lambda w: {"distribution_date": today().isoformat()},
    "document": lambda w: {"kind": "draft", "title": "Matrix document", "link": "https://example.org/text.pdf"},
    "comment": lambda w: {
        "member": WTOMember.objects.get(code="CAN").pk,
        "received_on": today().isoformat(),
        "kind": "comment",
        "text": "Matrix comment",
    },
    "triage": lambda w: {"decision": "relevant", "points": [_moit(w)], "note": ""},
    "impact": lambda w: {"impact": "low", "assessment": "Matrix assessment", "recommendation": "inform"},
    "vietnamese": lambda w: {"title_vi": "Tiêu đề ma trận", "summary_vi": "Tóm tắt"},
    "input": lambda w: {
        "name": "Nam",
        "organisation": "Vina Export",
        "email": "nam@example.vn",
        "text": "Matrix input",
        "consent": "on",
        "website": "",
    },
    "national_comment": lambda w: {"text": "Matrix national comment", "reply_to_email": ""},
    "route": lambda w: {"point": _moit(w), "reply_due": (today() + timedelta(days=10)).isoformat()},
    "reply": lambda w: {"reply_text": "Matrix reply"},
    "remarks": lambda w: {"remarks": "Matrix remarks"},
    "national_send": lambda w: {"text": "Matrix national comment", "to_email": "tbt@partner.example"},
    "partner_reply": lambda w: {"text": "Matrix partner reply", "replied_on": today().isoformat()},
}


def _state_of(key: str, field: str = "state") -> Callable[[World], Any]:
    def read(w: World) -> Any:
        obj = w.get(key)
        obj.refresh_from_db()
        return getattr(obj, field)

    return read


# What the rightful role's POST must have done (read after all its POSTs): (reader, expected value).
EFFECTS: dict[str, tuple[Callable[[World], Any], Any]] = {
    "import": (lambda w: ImportRun.objects.count(), 1),
    "dossier_new": (lambda w: Notification.objects.filter(title=NEW_TITLE).count(), 2),  # ministry and Health
    "dossier_edit": (_state_of("draft", "title"), EDITED_TITLE),
    "dossier_submit": (_state_of("draft"), Notification.State.SUBMITTED),
    "accept": (_state_of("submitted"), Notification.State.ACCEPTED),
    "notify": (_state_of("accepted"), Notification.State.NOTIFIED),
    "document": (lambda w: NotificationDocument.objects.filter(title="Matrix document").count(), 2),
    "comment": (lambda w: NotificationComment.objects.filter(text="Matrix comment").count(), 1),
    "triage": (_state_of("fresh"), Notification.State.RELEVANT),
    "impact": (lambda w: ImpactNote.objects.get(notification=w.get("incoming")).state, ImpactNote.State.SUBMITTED),
    "vietnamese": (_state_of("incoming", "title_vi"), "Tiêu đề ma trận"),
    "input": (lambda w: BusinessInput.objects.filter(text="Matrix input").count(), len(ROLES)),
    "national_comment": (
        lambda w: NotificationComment.objects.filter(text="Matrix national comment").count(),
        1,
    ),
    "route": (_state_of("received"), NotificationComment.State.ROUTED),
    "reply": (_state_of("routed"), NotificationComment.State.REPLY_DRAFTED),
    "send": (_state_of("drafted"), NotificationComment.State.REPLIED),
    "return": (_state_of("drafted"), NotificationComment.State.ROUTED),
    "national_send": (_state_of("national_draft"), NotificationComment.State.SENT),
    "partner_reply": (_state_of("national_sent"), NotificationComment.State.PARTNER_REPLIED),
}

# (route name, object key, expected outcome per role, body, effect) for a POST with a valid body.
POST_MATRIX: list[tuple[str, str, dict[str, int | str], str, str | None]] = [
    # GET-only public pages and endpoints
    (n("search"), "", GET_ONLY, "none", None),
    (n("my_inputs"), "", grid(405, anonymous=LOGIN), "none", None),
    (n("export_csv"), "", GET_ONLY, "none", None),
    (n("export_xlsx"), "", GET_ONLY, "none", None),
    (n("feed_atom"), "", GET_ONLY, "none", None),
    (n("feed_ical"), "", GET_ONLY, "none", None),
    (API_LIST, "", GET_ONLY, "none", None),
    (API_DETAIL, "notified", GET_ONLY, "none", None),
    (n("import_run"), "run", grid(404, admin=405, anonymous=LOGIN), "none", None),
    # imports
    (n("import_upload"), "", grid(404, admin=DONE, anonymous=LOGIN), "import", "import"),
    # dossiers
    (n("dossier_new"), "", grid(404, ministry=DONE, other_ministry=DONE, national=403, anonymous=LOGIN),
     "dossier_new", "dossier_new"),
    (n("dossier_edit"), "draft", grid(404, ministry=DONE, national=403, anonymous=LOGIN),
     "dossier_edit", "dossier_edit"),
    (n("dossier_edit"), "notified", grid(403, anonymous=LOGIN), "dossier_edit", None),
    (n("dossier_submit"), "draft", grid(404, ministry=DONE, national=403, anonymous=LOGIN),
     "none", "dossier_submit"),
    (n("dossier_submit"), "notified", grid(403, anonymous=LOGIN), "none", None),
    (n("dossier_review"), "submitted", grid(404, national=DONE, ministry=403, anonymous=LOGIN),
     "accept", "accept"),
    (n("dossier_notify"), "accepted", grid(404, national=DONE, ministry=403, anonymous=LOGIN),
     "notify", "notify"),
    (n("document_add"), "draft", grid(404, ministry=DONE, national=DONE, anonymous=LOGIN),
     "document", "document"),
    (n("document_add"), "notified", grid(403, ministry=DONE, national=DONE, anonymous=LOGIN),
     "document", "document"),
    # comments received on Vietnam's notifications
    (n("comment_new"), "notified", grid(403, national=DONE, anonymous=LOGIN), "comment", "comment"),
    (n("comment_route"), "received", grid(404, national=DONE, ministry=403, anonymous=LOGIN), "route", "route"),
    (n("comment_reply"), "routed", grid(404, ministry=DONE, national=403, anonymous=LOGIN), "reply", "reply"),
    (n("comment_send"), "drafted", grid(404, national=DONE, ministry=403, anonymous=LOGIN), "reply", "send"),
    (n("comment_return"), "drafted", grid(404, national=DONE, ministry=403, anonymous=LOGIN), "remarks",
     "return"),
    # partners' notifications
    (n("triage"), "fresh", grid(403, national=DONE, anonymous=LOGIN), "triage", "triage"),
    (n("impact_note"), "incoming", grid(404, ministry=DONE, national=403, anonymous=LOGIN), "impact", "impact"),
    (n("vietnamese"), "incoming", grid(403, national=DONE, ministry=DONE, anonymous=LOGIN),
     "vietnamese", "vietnamese"),
    (n("national_comment_new"), "incoming", grid(403, national=DONE, anonymous=LOGIN),
     "national_comment", "national_comment"),
    (n("national_comment_send"), "national_draft", grid(404, national=DONE, ministry=403, anonymous=LOGIN),
     "national_send", "national_send"),
    (n("partner_reply"), "national_sent", grid(404, national=DONE, ministry=403, anonymous=LOGIN),
     "partner_reply", "partner_reply"),
    # business input: anyone, while open; refused once closed; not on Vietnam's own dossiers
    (n("input"), "incoming", grid(DONE), "input", "input"),
    (n("input"), "closed", grid(403), "input", None),
    (n("input"), "notified", NOBODY, "input", None),
]  # fmt: skip

# Routes that take no form: a POST is answered like a GET (no state changes), so only GET is listed.
NO_POST = {
    n("work"): "a page without a form",
    n("dossiers"): "a list without a form",
    n("detail"): "the record page; its input form posts to notifications:input",
    n("document"): "a file download",
    n("comment"): "the comment page; its forms post to the comment_* actions",
    n("input_thanks"): "a confirmation page",
}


# --- the objects ------------------------------------------------------------------------------
def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 matrix", content_type="application/pdf")


class World:
    """The objects the routes take, built on first use, each in the state where its rightful role
    may act: dossiers by the Ministry of Industry and Trade's point, a partner's draft it analyses."""

    def __init__(self, cast: dict[str, Any]) -> None:
        self.cast = cast
        self.ministry, self.national = cast["ministry"], cast["national"]
        self._made: dict[str, Any] = {}

    def get(self, key: str) -> Any:
        if key not in self._made:
            self._made[key] = getattr(self, f"_{key}")()
        return self._made[key]

    def path(self, name: str, key: str) -> str:
        kwargs: dict[str, Any] = {}
        query = ""
        if key.startswith("follows_"):
            query = f"?follows={self.get(key.removeprefix('follows_')).public_id}"
        elif key in ("draft_doc", "public_doc", "comment_file"):
            doc = self.get(key)
            kwargs = {"public_id": doc.notification.public_id, "doc_id": doc.public_id}
        elif key:
            kwargs = {"public_id": self.get(key).public_id}
        with translation.override("vi"):  # the unprefixed path (Vietnamese is the default language)
            return reverse(name, kwargs=kwargs) + query

    # dossiers (outgoing), one per state
    def _draft(self) -> Notification:
        return make_dossier(self.ministry, title="Matrix draft dossier")

    def _submitted(self) -> Notification:
        return submitted(self.ministry, title="Matrix submitted dossier")

    def _accepted(self) -> Notification:
        return accepted(self.ministry, self.national, title="Matrix accepted dossier")

    def _notified(self) -> Notification:
        return notified(self.ministry, self.national, title="Matrix notified dossier")

    def _draft_doc(self) -> NotificationDocument:
        return services.document_add(
            notification=self.get("draft"), actor=self.ministry, kind="draft", title="Draft", file=_pdf("d.pdf")
        )

    def _public_doc(self) -> NotificationDocument:
        return services.document_add(
            notification=self.get("notified"), actor=self.ministry, kind="draft", title="Text", file=_pdf("t.pdf")
        )

    # comments received on the notified dossier, one per state
    def _comment(self, text: str, **extra: Any) -> NotificationComment:
        return services.comment_record(
            notification=self.get("notified"),
            actor=self.national,
            member=WTOMember.objects.get(code="USA"),
            received_on=today(),
            text=text,
            **extra,
        )

    def _comment_file(self) -> NotificationDocument:
        comment = self._comment("Comment with a file", files=[_pdf("c.pdf")])
        return NotificationDocument.objects.get(comment=comment)

    def _received(self) -> NotificationComment:
        return self._comment("Received comment")

    def _routed(self) -> NotificationComment:
        return services.comment_route(
            comment=self._comment("Routed comment"),
            actor=self.national,
            point=self.ministry.point,
            reply_due=today() + timedelta(days=10),
        )

    def _drafted(self) -> NotificationComment:
        return services.comment_reply_draft(comment=self._routed(), actor=self.ministry, reply_text="Draft reply")

    # partners' notifications
    def _fresh(self) -> Notification:
        return make_incoming(title="Matrix fresh partner draft")

    def _incoming(self) -> Notification:
        """Found relevant, an impact note requested from the ministry (which makes it an insider)."""
        n = make_incoming(title="Matrix partner draft")
        return services_in.notification_triage(
            notification=n, actor=self.national, relevant=True, points=[self.ministry.point]
        )

    def _closed(self) -> Notification:
        return make_incoming(title="Matrix closed partner draft", deadline_in_days=10)

    def _input(self) -> BusinessInput:
        return services_in.business_input_submit(
            notification=self.get("incoming"),
            user=None,
            name="An",
            organisation="Hiệp hội",
            email="an@example.vn",
            text="Earlier input",
            consent=True,
        )

    def _national_draft(self) -> NotificationComment:
        return services_in.national_comment_prepare(
            notification=self.get("incoming"), actor=self.national, text="Viet Nam's draft comment"
        )

    def _national_sent(self) -> NotificationComment:
        draft = services_in.national_comment_prepare(
            notification=self.get("incoming"), actor=self.national, text="Viet Nam's sent comment"
        )
        return services_in.national_comment_send(comment=draft, actor=self.national)

    def _run(self) -> ImportRun:
        return ImportRun.objects.create(format="csv")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # noqa: PT004 - uploaded files of these tests stay in tmp_path
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world(cast) -> World:
    return World(cast)


def _outcome(response: Any) -> int | str:
    if getattr(response, "streaming", False):
        # Read to the end: the test client then closes the response with the database connection
        # kept (a bare close() sends request_finished, which closes it inside the test's transaction).
        b"".join(response.streaming_content)
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    return response.status_code


def _state() -> tuple:
    return (
        list(Notification.objects.order_by("pk").values()),
        list(NotificationComment.objects.order_by("pk").values()),
        list(ImpactNote.objects.order_by("pk").values()),
        list(NotificationDocument.objects.order_by("pk").values_list("pk", flat=True)),
        list(BusinessInput.objects.order_by("pk").values_list("pk", flat=True)),
        list(ImportRun.objects.order_by("pk").values_list("pk", flat=True)),
        Deadline.objects.count(),
        Event.objects.count(),
        OutboxEmail.objects.count(),
    )


def _row_id(row: tuple) -> str:
    return f"{row[0].removeprefix('notifications:')}[{row[1] or '-'}]"


# --- the tests --------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_get_matrix(role, world):
    client = client_for(world.cast[role])
    seen = {}
    for name, key, expected in GET_MATRIX:
        if role in expected:
            seen[_row_id((name, key))] = (_outcome(client.get(world.path(name, key))), expected[role])
    wrong = {k: v for k, v in seen.items() if v[0] != v[1]}
    assert not wrong, f"{role}: (got, expected) {wrong}"


@pytest.mark.parametrize("role", ROLES)
def test_post_matrix_refusals_change_nothing(role, world):
    client = client_for(world.cast[role])
    rows = [row for row in POST_MATRIX if row[2].get(role) in REFUSED]
    paths = {_row_id(row): world.path(row[0], row[1]) for row in rows}  # every object built before
    wrong = {}
    for name, key, expected, body, _effect in rows:
        before = _state()
        outcome = _outcome(client.post(paths[_row_id((name, key))], DATA[body](world)))
        changed = _state() != before
        if outcome != expected[role] or changed:
            wrong[_row_id((name, key))] = (outcome, expected[role], "changed" if changed else "unchanged")
    assert not wrong, f"{role}: (got, expected, data) {wrong}"


ALLOWED_ROWS = [row for row in POST_MATRIX if any(v not in REFUSED for v in row[2].values())]


@pytest.mark.parametrize(("name", "key", "expected", "body", "effect"), ALLOWED_ROWS, ids=map(_row_id, ALLOWED_ROWS))
def test_post_matrix_the_rightful_roles_get_through(name, key, expected, body, effect, world):
    path = world.path(name, key)
    for role, status in expected.items():
        if status in REFUSED:
            continue
        before = _state()
        outcome = _outcome(client_for(world.cast[role]).post(path, DATA[body](world)))
        assert (role, outcome) == (role, status)
        assert _state() != before, f"{role}: the POST changed nothing"
    assert effect is not None
    read, value = EFFECTS[effect]
    assert read(world) == value


def test_public_listings_show_no_dossier_before_it_is_notified(world):
    """Search, exports, feeds and the API list only what everyone may read, whoever asks; the work
    queues and dossier lists of other points show nothing of a ministry's dossiers."""
    hidden = [world.get(key).title for key in ("draft", "submitted", "accepted")]
    shown = world.get("notified")
    world.get("incoming")
    for role in ("anonymous", "business", "ministry", "national"):
        client = client_for(world.cast[role])
        for name in ("search", "export_csv", "feed_atom", "feed_ical", API_LIST):
            response = client.get(world.path(name if name == API_LIST else n(name), ""))
            body = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
            assert shown.symbol in body, (role, name)
            assert not [t for t in hidden if t in body], (role, name)
        sheet = load_workbook(io.BytesIO(client.get(world.path(n("export_xlsx"), "")).content)).active
        cells = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None)
        assert shown.symbol in cells and not [t for t in hidden if t in cells], role
    for role in ("other_ministry", "provincial"):
        client = client_for(world.cast[role])
        for name in ("work", "dossiers"):
            response = client.get(world.path(n(name), ""))
            assert response.status_code in (200, 404)
            assert not [t for t in hidden if t in response.content.decode()], (role, name)


def _names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            names |= _names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}:{entry.name}" if namespace else entry.name)
    return names


def test_every_notifications_route_is_in_the_matrix():
    routes = {r for r in _names(get_resolver()) if r.startswith(("notifications:", "notifications-api"))}
    assert len(routes) > 30
    got = {row[0] for row in GET_MATRIX}
    posted = {row[0] for row in POST_MATRIX} | set(NO_POST)
    assert routes - got == set(), "routes without a GET row"
    assert routes - posted == set(), "routes without a POST row (or a reason in NO_POST)"
    assert (got | posted) - routes == set(), "rows of routes that no longer exist"
    # A matrix where everyone is refused proves nothing: each route lets someone through.
    through = {row[0] for row in GET_MATRIX if 200 in row[2].values()}
    through |= {row[0] for row in POST_MATRIX if DONE in row[2].values()}
    assert routes - through == set(), "routes that refuse every role"
