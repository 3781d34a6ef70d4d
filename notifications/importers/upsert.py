"""Batch upserts: prefetch the existing rows of a batch by natural key, create the new ones with
``bulk_create`` and change the changed ones with ``bulk_update``.

Natural keys: the symbol for WTO notifications, (source, external_id) otherwise (TRIS, other
systems), external_id for comments. ``update_conflicts`` cannot be used: the external_id
constraint is conditional (non-empty identifiers only), which ON CONFLICT cannot target portably.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import timedelta
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from network.models import Event, Point, User

from ..models import Notification, NotificationComment
from ..search import notification_search_text, search_cache_invalidate
from .records import CommentRecord, NotificationRecord
from .report import ImportReport

BATCH_SIZE = 1000
# A partner's notification without a final date for comments is still "new" (worth a triage
# deadline) when it was distributed within this many days; older ones are history.
RECENT_WITHOUT_DEADLINE_DAYS = 60
# Fields an official owns once the Vietnamese text is verified: an import never overwrites them.
VERIFIED_FIELDS = {"title_vi", "summary_vi"}

T = TypeVar("T")


def chunked(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def drop_duplicates(records: Iterable[Any], report: ImportReport, kind_of: Any) -> list[Any]:
    """Keep the first row of each natural key; report the later ones with the first line."""
    seen: dict[Any, Any] = {}
    kept = []
    for record in records:
        keys = [record.key]
        if isinstance(record, NotificationRecord) and record.symbol and record.external_id:
            keys.append(f"{record.source}:{record.external_id}")
        first = next((seen[k] for k in keys if k in seen), None)
        if first is not None:
            report.error(
                file=record.file,
                line=record.line,
                code="duplicate",
                kind=kind_of(record),
                key=record.key,
                first_line=first.line,
            )
            continue
        for k in keys:
            seen[k] = record
        kept.append(record)
    return kept


class NotificationUpserter:
    def __init__(self, *, report: ImportReport, actor: User | None = None, note: str = "") -> None:
        self.report = report
        self.actor = actor
        self.note = note
        self.content_type = ContentType.objects.get_for_model(Notification)
        self.touched_symbols: set[str] = set()

    def run(self, records: list[NotificationRecord]) -> None:
        records = drop_duplicates(records, self.report, lambda r: "notification")
        for batch in chunked(records, BATCH_SIZE):
            try:
                with transaction.atomic():
                    self._batch(batch)
            except IntegrityError:
                # A row the prefetch could not foresee (e.g. a concurrent edit): retry one by one so
                # that the good rows of the batch still go in and the bad one is reported.
                for record in batch:
                    try:
                        with transaction.atomic():
                            self._batch([record])
                    except IntegrityError as exc:
                        self.report.error(
                            file=record.file,
                            line=record.line,
                            code="database",
                            kind="notification",
                            detail=str(exc).splitlines()[0][:200],
                        )
            self.report.tick()
        self._link_followups()

    def _existing(
        self, batch: Sequence[NotificationRecord]
    ) -> tuple[dict[str, Notification], dict[tuple[str, str], Notification]]:
        symbols = [r.symbol for r in batch if r.symbol]
        by_symbol: dict[str, Notification] = (
            {str(n.symbol): n for n in Notification.objects.filter(symbol__in=symbols)} if symbols else {}
        )
        by_ext: dict[tuple[str, str], Notification] = {}
        sources: dict[str, list[str]] = {}
        for r in batch:
            if r.external_id:
                sources.setdefault(r.source, []).append(r.external_id)
        for source, ids in sources.items():
            for n in Notification.objects.filter(source=source, external_id__in=ids):
                by_ext[(n.source, n.external_id)] = n
        return by_symbol, by_ext

    def _batch(self, batch: Sequence[NotificationRecord]) -> None:
        by_symbol, by_ext = self._existing(batch)
        now = timezone.now()
        new: list[Notification] = []
        changed: list[Notification] = []
        changed_fields: set[str] = set()
        outcomes: list[tuple[NotificationRecord, str]] = []
        for r in batch:
            a = by_symbol.get(r.symbol) if r.symbol else None
            b = by_ext.get((r.source, r.external_id)) if r.external_id else None
            if a is not None and b is not None and a.pk != b.pk:
                self.report.error(file=r.file, line=r.line, code="conflict", kind="notification", key=r.key)
                continue
            existing = a or b
            values = self._values(r)
            if existing is None:
                obj = Notification(direction=r.direction, state=r.initial_state, created_at=now, **values)
                obj.search_text = notification_search_text(obj)
                new.append(obj)
                outcomes.append((r, "created"))
                continue
            if existing.direction == Notification.Direction.OUT and existing.point_id is not None:
                self.report.error(file=r.file, line=r.line, code="managed_in_portal", kind="notification", key=r.key)
                continue
            diff = set()
            for name, value in values.items():
                if name in VERIFIED_FIELDS and existing.vi_verified_at is not None:
                    continue
                if getattr(existing, name) != value:
                    setattr(existing, name, value)
                    diff.add(name)
            if diff:
                existing.search_text = notification_search_text(existing)
                existing.updated_at = now
                changed.append(existing)
                changed_fields |= diff
                outcomes.append((r, "updated"))
            else:
                outcomes.append((r, "unchanged"))
        if new:
            Notification.objects.bulk_create(new, batch_size=BATCH_SIZE)
        if changed:
            Notification.objects.bulk_update(
                changed, sorted(changed_fields | {"search_text", "updated_at"}), batch_size=250
            )
        if new or changed:
            search_cache_invalidate()  # bulk writes send no signals
        self._events(new, "notification_imported", now)
        self._events(changed, "notification_import_updated", now)
        self._open_triage_deadlines(new)
        for r, outcome in outcomes:
            self.report.count("notification", outcome)
            if r.symbol:
                self.touched_symbols.add(r.symbol)

    @staticmethod
    def _open_triage_deadlines(created: list[Notification]) -> None:
        """The national point's forwarding deadline for each partner's notification that arrives
        while it is still open (ePing files, the scheduled fetch). Historical records, such as the
        whole TRIS archive, open none: ``notification_received`` skips a passed final date, and a
        record without one counts as new only if it was distributed recently."""
        from ..services_in import notification_received

        today = timezone.localdate()
        recent = today - timedelta(days=RECENT_WITHOUT_DEADLINE_DAYS)
        fresh = [
            n
            for n in created
            if n.pk is not None
            and n.direction == Notification.Direction.IN
            and n.state == Notification.State.RECEIVED
            and (
                (n.comment_deadline is not None and n.comment_deadline >= today)
                or (n.comment_deadline is None and n.distribution_date is not None and n.distribution_date >= recent)
            )
        ]
        if not fresh or not Point.objects.filter(level=Point.Level.NATIONAL).exists():
            return
        for n in fresh:
            notification_received(n, today=today)

    @staticmethod
    def _values(r: NotificationRecord) -> dict[str, Any]:
        values: dict[str, Any] = {"source": r.source, "member_id": r.member_id, **r.fields}
        if r.symbol:
            values["symbol"] = r.symbol
        if r.external_id:
            values["external_id"] = r.external_id
        return values

    def _events(self, objects: list[Notification], verb: str, now: Any) -> None:
        if not objects:
            return
        actor = self.actor if (self.actor is not None and self.actor.is_authenticated) else None
        Event.objects.bulk_create(
            [
                Event(
                    content_type=self.content_type,
                    object_id=str(n.pk),
                    object_repr=str(n)[:255],
                    actor=actor,
                    verb=verb,
                    to_state=n.state if verb == "notification_imported" else "",
                    note=self.note,
                    at=now,
                )
                for n in objects
            ],
            batch_size=BATCH_SIZE,
        )

    def _link_followups(self) -> None:
        """Attach addenda, corrigenda and revisions to the notification they follow up, in both
        directions: follow-ups imported now, and older follow-ups whose parent arrived now."""
        if not self.touched_symbols:
            return
        symbols = sorted(self.touched_symbols)
        for chunk in chunked(symbols, BATCH_SIZE):
            children = list(
                Notification.objects.filter(parent__isnull=True)
                .exclude(followup_of_symbol="")
                .filter(symbol__in=chunk)
                .only("id", "followup_of_symbol", "parent_id")
            )
            children += list(
                Notification.objects.filter(parent__isnull=True, followup_of_symbol__in=chunk).only(
                    "id", "followup_of_symbol", "parent_id"
                )
            )
            if not children:
                continue
            parents = dict(
                Notification.objects.filter(symbol__in={c.followup_of_symbol for c in children}).values_list(
                    "symbol", "id"
                )
            )
            linked = {}
            for child in children:
                parent_id = parents.get(child.followup_of_symbol)
                if parent_id is not None and parent_id != child.pk:
                    child.parent_id = parent_id
                    linked[child.pk] = child
            if linked:
                Notification.objects.bulk_update(list(linked.values()), ["parent"], batch_size=500)
                search_cache_invalidate()


class CommentUpserter:
    """Comments and detailed opinions seen on partners' notifications (TRIS)."""

    FIELDS = ("notification_id", "kind", "member_id", "by_name", "received_on")

    def __init__(self, *, report: ImportReport) -> None:
        self.report = report

    def run(self, records: list[CommentRecord]) -> None:
        records = drop_duplicates(records, self.report, lambda r: r.kind)
        for batch in chunked(records, BATCH_SIZE):
            with transaction.atomic():
                self._batch(batch)
            self.report.tick()

    def _batch(self, batch: Sequence[CommentRecord]) -> None:
        notification_ids: dict[tuple[str, str], int] = {}
        wanted: dict[str, set[str]] = {}
        for r in batch:
            wanted.setdefault(r.notification_source, set()).add(r.notification_external_id)
        for source, ids in wanted.items():
            for ext, pk in Notification.objects.filter(source=source, external_id__in=ids).values_list(
                "external_id", "id"
            ):
                notification_ids[(source, ext)] = pk
        existing = {
            c.external_id: c for c in NotificationComment.objects.filter(external_id__in=[r.external_id for r in batch])
        }
        new: list[NotificationComment] = []
        changed: list[NotificationComment] = []
        outcomes: list[tuple[CommentRecord, str]] = []
        for r in batch:
            notification_id = notification_ids.get((r.notification_source, r.notification_external_id))
            if notification_id is None:
                self.report.error(
                    file=r.file, line=r.line, code="unknown_notification", kind=r.kind, value=r.notification_external_id
                )
                continue
            values = {
                "notification_id": notification_id,
                "kind": r.kind,
                "member_id": r.member_id,
                "by_name": r.by_name,
                "received_on": r.received_on,
            }
            comment = existing.get(r.external_id)
            if comment is None:
                new.append(
                    NotificationComment(
                        external_id=r.external_id,
                        direction=NotificationComment.Direction.THIRD_PARTY,
                        state=NotificationComment.State.RECORDED,
                        **values,
                    )
                )
                outcomes.append((r, "created"))
                continue
            diff = False
            for name, value in values.items():
                if getattr(comment, name) != value:
                    setattr(comment, name, value)
                    diff = True
            if diff:
                changed.append(comment)
            outcomes.append((r, "updated" if diff else "unchanged"))
        if new:
            NotificationComment.objects.bulk_create(new, batch_size=BATCH_SIZE)
        if changed:
            NotificationComment.objects.bulk_update(
                changed, ["notification", "kind", "member", "by_name", "received_on"], batch_size=250
            )
        for r, outcome in outcomes:
            self.report.count(r.kind, outcome)
