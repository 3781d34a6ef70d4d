"""Batch upserts: prefetch the existing rows of a batch by natural key, create the new ones with
``bulk_create`` and change the changed ones with ``bulk_update``.

Natural keys: the symbol for WTO notifications, (source, external_id) otherwise (TRIS, other
systems), external_id for comments. ``update_conflicts`` cannot be used: the external_id
constraint is conditional (non-empty identifiers only), which ON CONFLICT cannot target portably.

A value longer than its column is refused up front (SQLite would keep it, PostgreSQL would refuse
the whole batch). A batch the database still refuses (a concurrent edit, anything unforeseen) is
written again row by row, so that one bad row is reported and the others go in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import timedelta
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import DataError, IntegrityError, models, transaction
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
R = TypeVar("R", NotificationRecord, CommentRecord)
# What one row can make the database refuse: a unique key taken meanwhile, a value it cannot store.
ROW_DB_ERRORS = (IntegrityError, DataError)


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


def _max_lengths(model: type[models.Model]) -> dict[str, int]:
    lengths: dict[str, int] = {}
    for model_field in model._meta.concrete_fields:
        max_length = getattr(model_field, "max_length", None)
        if max_length:
            lengths[model_field.name] = lengths[model_field.attname] = max_length
    return lengths


def drop_too_long(
    records: Iterable[R], values_of: Callable[[R], dict[str, Any]], lengths: dict[str, int], report: ImportReport
) -> list[R]:
    """Report the rows with a text longer than its column; keep the others."""
    kept = []
    for record in records:
        problem = next(
            (
                (name, value)
                for name, value in values_of(record).items()
                if isinstance(value, str) and name in lengths and len(value) > lengths[name]
            ),
            None,
        )
        if problem is None:
            kept.append(record)
            continue
        name, value = problem
        report.error(
            file=record.file,
            line=record.line,
            code="too_long",
            kind=_kind(record),
            field=name,
            length=len(value),
            limit=lengths[name],
        )
    return kept


def _kind(record: NotificationRecord | CommentRecord) -> str:
    return "notification" if isinstance(record, NotificationRecord) else record.kind


def write_in_batches(records: Sequence[R], write: Callable[[Sequence[R]], None], report: ImportReport) -> None:
    """``write`` each batch in a transaction; a batch the database refuses is written again one row
    at a time, each in its own transaction, and the row it still refuses is reported."""
    for batch in chunked(records, BATCH_SIZE):
        try:
            with transaction.atomic():
                write(batch)
        except ROW_DB_ERRORS:
            for record in batch:
                try:
                    with transaction.atomic():
                        write([record])
                except ROW_DB_ERRORS as exc:
                    report.error(
                        file=record.file,
                        line=record.line,
                        code="database",
                        kind=_kind(record),
                        detail=(str(exc).splitlines() or [exc.__class__.__name__])[0][:200],
                    )
        report.tick()


class NotificationUpserter:
    def __init__(self, *, report: ImportReport, actor: User | None = None, note: str = "") -> None:
        self.report = report
        self.actor = actor
        self.note = note
        self.content_type = ContentType.objects.get_for_model(Notification)
        self.touched_symbols: set[str] = set()

    def run(self, records: list[NotificationRecord]) -> None:
        records = drop_too_long(records, self._values, _max_lengths(Notification), self.report)
        records = drop_duplicates(records, self.report, lambda r: "notification")
        write_in_batches(records, self._batch, self.report)
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
        # Reported once the batch is written: a batch written again row by row reports them once.
        refused: list[tuple[NotificationRecord, str]] = []
        for r in batch:
            a = by_symbol.get(r.symbol) if r.symbol else None
            b = by_ext.get((r.source, r.external_id)) if r.external_id else None
            if a is not None and b is not None and a.pk != b.pk:
                refused.append((r, "conflict"))
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
                refused.append((r, "managed_in_portal"))
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
        for r, code in refused:
            self.report.error(file=r.file, line=r.line, code=code, kind="notification", key=r.key)
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
        lengths = _max_lengths(NotificationComment)
        records = drop_too_long(
            records, lambda r: {"external_id": r.external_id, "by_name": r.by_name}, lengths, self.report
        )
        records = drop_duplicates(records, self.report, lambda r: r.kind)
        write_in_batches(records, self._batch, self.report)

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
        unknown: list[CommentRecord] = []  # reported once the batch is written
        for r in batch:
            notification_id = notification_ids.get((r.notification_source, r.notification_external_id))
            if notification_id is None:
                unknown.append(r)
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
        for r in unknown:
            self.report.error(
                file=r.file, line=r.line, code="unknown_notification", kind=r.kind, value=r.notification_external_id
            )
        for r, outcome in outcomes:
            self.report.count(r.kind, outcome)
