"""Builders shared by the workflow tests (dossiers out, partners' notifications in)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from network.models import Deadline, Event, OutboxEmail, Point, User, WTOMember
from notifications import services
from notifications.models import Notification
from notifications.search import notification_search_text


def today() -> date:
    return timezone.localdate()


def complete_data(**overrides: Any) -> dict[str, Any]:
    """Every box of a dossier filled in correctly (passes the quality gate)."""
    planned = today() + timedelta(days=10)
    adoption = today() + timedelta(days=120)
    data: dict[str, Any] = {
        "followup_kind": "",
        "followup_of_symbol": "",
        "addendum_reason": "",
        "local_government": "",
        "agency_responsible": "Ministry of Industry and Trade (Bo Cong Thuong), 54 Hai Ba Trung, Hanoi",
        "comment_body": "",
        "articles": ["2.9.2"],
        "products_text": "Mobile phones (smartphones)",
        "hs_codes": ["851713"],
        "ics_codes": ["33.050"],
        "title": "Draft national technical regulation on specific absorption rate of mobile phones",
        "pages": "12",
        "languages": "Vietnamese",
        "description": "Limits of specific absorption rate (SAR) and test methods for mobile phones.",
        "objectives": ["human_health"],
        "rationale": "Protection of human health from radio-frequency exposure.",
        "relevant_documents": "IEC 62209-1528:2020",
        "related_symbols": [],
        "proposed_adoption_date": adoption,
        "proposed_adoption_text": "",
        "entry_into_force_date": date(adoption.year + 1, adoption.month, min(adoption.day, 28)),
        "entry_into_force_text": "",
        "is_urgent": False,
        "planned_distribution_date": planned,
        "comment_deadline": planned + timedelta(days=60),
        "texts_available": "National TBT enquiry point of Viet Nam",
        "document_link": "",
    }
    data.update(overrides)
    return data


def make_dossier(ministry: User, **overrides: Any) -> Notification:
    assert ministry.point is not None
    return services.dossier_create(actor=ministry, point=ministry.point, data=complete_data(**overrides))


def submitted(ministry: User, **overrides: Any) -> Notification:
    n = make_dossier(ministry, **overrides)
    return services.dossier_submit(notification=n, actor=ministry)


def accepted(ministry: User, national: User, **overrides: Any) -> Notification:
    n = submitted(ministry, **overrides)
    return services.dossier_accept(notification=n, actor=national)


def notified(ministry: User, national: User, **overrides: Any) -> Notification:
    n = accepted(ministry, national, **overrides)
    return services.dossier_notify(notification=n, actor=national, distribution_date=today())


def make_incoming(member: str = "EU", *, deadline_in_days: int | None = 60, **fields: Any) -> Notification:
    """A partner's draft as the importer leaves it (state ``received``)."""
    values: dict[str, Any] = {
        "direction": Notification.Direction.IN,
        "source": Notification.Source.WTO,
        "state": Notification.State.RECEIVED,
        "member": WTOMember.objects.get(code=member),
        "title": "Draft regulation on toys safety",
        "description": "Chemical requirements for toys.",
        "products_text": "Toys",
        "hs_codes": ["950300"],
        "distribution_date": today() - timedelta(days=5),
        "comment_deadline": (today() + timedelta(days=deadline_in_days)) if deadline_in_days is not None else None,
    }
    values.update(fields)
    n = Notification(**values)
    n.search_text = notification_search_text(n)
    n.save()
    return n


def events(obj: models.Model, verb: str | None = None) -> list[Event]:
    qs = Event.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
    if verb:
        qs = qs.filter(verb=verb)
    return list(qs.order_by("at", "id"))


def deadline(obj: models.Model, kind: str) -> Deadline | None:
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), kind=kind
    ).first()


def mails(template: str, to: str | None = None) -> list[OutboxEmail]:
    qs = OutboxEmail.objects.filter(template=template)
    if to:
        qs = qs.filter(to=to)
    return list(qs)


def point(code: str) -> Point:
    return Point.objects.get(code=code)
