"""The administrators' import screens, the import task and the management command."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from network.models import Event
from notifications.importers.runs import import_run_for_paths, import_run_process
from notifications.models import ImportRun, Notification, NotificationComment
from notifications.tasks_import import eping_fetch, import_run_task
from tests.conftest import client_for
from tests.notifications import search_helpers
from tests.notifications.search_helpers import TRIS_DIR

pytestmark = pytest.mark.django_db
members = search_helpers.members

NON_ADMINS = ["national", "ministry", "other_ministry", "provincial", "board_member", "board_secretary", "business"]


def run_events(run: ImportRun):
    return Event.objects.filter(content_type=ContentType.objects.get_for_model(ImportRun), object_id=str(run.pk))


def tris_uploads() -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(name, (TRIS_DIR / name).read_bytes(), content_type="text/csv")
        for name in ("notifications.csv", "comments.csv", "opinions.csv")
    ]


@pytest.mark.parametrize("role", NON_ADMINS)
def test_import_screens_are_not_there_for_other_roles(cast, members, role):
    client = client_for(cast[role])
    run = ImportRun.objects.create(format="csv")
    assert client.get(reverse("notifications:import_upload")).status_code == 404
    assert client.post(reverse("notifications:import_upload"), {"format": "csv"}).status_code == 404
    assert client.get(reverse("notifications:import_run", args=[run.public_id])).status_code == 404
    assert ImportRun.objects.count() == 1


def test_anonymous_is_sent_to_login(members):
    response = client_for(None).get(reverse("notifications:import_upload"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_admin_uploads_tris_files_and_sees_the_result(admin_user, members, django_capture_on_commit_callbacks):
    client = client_for(admin_user)
    assert client.get(reverse("notifications:import_upload")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:import_upload"), {"format": "tris", "upload": tris_uploads()})
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:import_run", args=[run.public_id])
    assert (run.state, run.total, run.processed, run.created, run.started_by) == ("done", 155, 155, 155, admin_user)
    assert Notification.objects.count() == 60 and NotificationComment.objects.count() == 95
    assert list(run_events(run).values_list("verb", flat=True).order_by("id")) == [
        "import_requested",
        "import_started",
        "import_finished",
    ]
    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="run-created">155<' in body
    assert 'http-equiv="refresh"' not in body  # finished: no more refreshing


def test_progress_page_refreshes_while_running(admin_user, members):
    run = ImportRun.objects.create(format="tris", state=ImportRun.State.RUNNING, total=100, processed=40)
    body = client_for(admin_user).get(reverse("notifications:import_run", args=[run.public_id])).content.decode()
    assert 'http-equiv="refresh"' in body
    assert 'value="40"' in body


def test_refused_rows_are_listed_with_line_and_reason(admin_user, members, django_capture_on_commit_callbacks):
    bad = (
        "symbol,member,title,distribution_date\n"
        "G/TBT/N/KOR/1,KOR,Good,2026-01-01\n"
        "G/TBT/N/KOR/2,Atlantis,Unknown member,2026-01-01\n"
        "G/TBT/N/KOR/3,KOR,Bad date,2026-02-31\n"
    )
    client = client_for(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("notifications:import_upload"),
            {"format": "csv", "upload": [SimpleUploadedFile("n.csv", bad.encode())]},
        )
    run = ImportRun.objects.get()
    assert run.created == 1 and [e["line"] for e in run.errors] == [3, 4]
    client.cookies["django_language"] = "en"
    body = client.get(
        reverse("notifications:import_run", args=[run.public_id]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Atlantis" in body and "2026-02-31" in body


def test_an_ignored_column_is_shown_but_refuses_nothing(admin_user, members, django_capture_on_commit_callbacks):
    text = "symbol,member,title,coment_deadline\nG/TBT/N/KOR/1,KOR,Good,2026-03-01\n"
    client = client_for(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("notifications:import_upload"),
            {"format": "csv", "upload": [SimpleUploadedFile("n.csv", text.encode())]},
        )
    run = ImportRun.objects.get()
    assert (run.created, [e["code"] for e in run.errors]) == (1, ["unknown_columns"])
    client.cookies["django_language"] = "en"
    body = client.get(reverse("notifications:import_run", args=[run.public_id])).content.decode()
    assert 'id="run-errors">0<' in body and "coment_deadline" in body
    warnings, refused = body.split("<h2>Các dòng bị từ chối</h2>")
    assert "<h2>Cảnh báo</h2>" in warnings and "coment_deadline" in warnings
    assert "Không có: mọi dòng đều đã được nhập." in refused and "coment_deadline" not in refused
    english = client.get("/en" + reverse("notifications:import_run", args=[run.public_id])).content.decode()
    assert "<h2>Warnings</h2>" in english and "Columns the importer does not know were ignored" in english
    listing = client.get(reverse("notifications:import_upload")).content.decode()
    assert "<td>1 / 1</td><td>0</td>" in listing  # the list of runs: no row refused


def test_command_counts_no_refusal_for_an_ignored_column(members, tmp_path, capsys):
    path = tmp_path / "n.csv"
    path.write_text("symbol,member,title,coment_deadline\nG/TBT/N/KOR/1,KOR,Good,2026-03-01\n")
    call_command("import_notifications", "--format", "csv", str(path))
    captured = capsys.readouterr()
    assert "created 1, updated 0, unchanged 0, refused 0" in captured.out
    assert "coment_deadline" in captured.err


def test_zip_upload(admin_user, members, django_capture_on_commit_callbacks):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("notifications.csv", "comments.csv", "opinions.csv"):
            archive.write(TRIS_DIR / name, name)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(admin_user).post(
            reverse("notifications:import_upload"),
            {"format": "tris", "upload": [SimpleUploadedFile("tris.zip", buffer.getvalue())]},
        )
    assert ImportRun.objects.get().created == 155


def test_wrong_file_type_is_refused(admin_user, members):
    response = client_for(admin_user).post(
        reverse("notifications:import_upload"), {"format": "eping", "upload": [SimpleUploadedFile("n.csv", b"x")]}
    )
    assert response.status_code == 400
    assert ImportRun.objects.count() == 0


def test_task_twice_imports_once(admin_user, members, tmp_path):
    run = import_run_for_paths(fmt="tris", paths=[])
    run.filenames = ""
    run.save()
    from notifications.importers import from_paths

    assert import_run_process(run.pk, files=from_paths([str(TRIS_DIR)], (".csv",))) is not None
    import_run_task(run.pk)  # claimed already: nothing happens
    assert import_run_process(run.pk) is None
    run.refresh_from_db()
    assert (run.state, run.created) == ("done", 155)
    assert run_events(run).filter(verb="import_finished").count() == 1


def test_eping_fetch_is_off_by_default_and_in_tests(members, settings):
    assert settings.EPING_FETCH_URL == ""
    assert "notifications-eping-fetch" not in settings.CELERY_BEAT_SCHEDULE
    assert eping_fetch() is None
    settings.EPING_FETCH_URL = "https://example.org/eping.json"
    assert eping_fetch() is None  # never fetches under TESTING
    assert ImportRun.objects.count() == 0


def test_command_imports_and_reports(members, capsys):
    call_command("import_notifications", "--format", "tris", str(TRIS_DIR))
    out = capsys.readouterr().out
    assert "notification: created 60" in out and "comment: created 55" in out and "opinion: created 40" in out
    call_command("import_notifications", "--format", "tris", str(TRIS_DIR))
    assert "unchanged 155" in capsys.readouterr().out
    assert ImportRun.objects.filter(state="done").count() == 2


def test_command_shows_progress_on_stderr(members, capsys, monkeypatch):
    from notifications.importers import runs

    monkeypatch.setattr(runs, "PROGRESS_EVERY", 0.0)  # every tick, not once a second
    call_command("import_notifications", "--format", "tris", str(TRIS_DIR))
    err = capsys.readouterr().err
    assert "progress: 0 / 155 rows (0 %)" in err  # after reading the files
    assert err.count("progress: 155 / 155 rows (100 %), 0 refused") == 1
    call_command("import_notifications", "--format", "tris", "-v0", str(TRIS_DIR))
    assert "progress" not in capsys.readouterr().err


def test_command_lists_refused_rows(members, tmp_path, capsys):
    path = tmp_path / "n.json"
    path.write_text('[{"documentSymbol": "G/TBT/N/USA/1", "notifyingMember": "Atlantis"}]')
    call_command("import_notifications", "--format", "eping", str(path))
    assert "Unknown member" in capsys.readouterr().err


def test_command_refuses_missing_paths(members, tmp_path):
    with pytest.raises(CommandError):
        call_command("import_notifications", "--format", "csv", str(tmp_path / "missing.csv"))
