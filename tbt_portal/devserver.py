"""`make run`: the web server, a Celery worker and the scheduler together; Ctrl-C stops all three."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time


def main() -> int:
    port = os.environ.get("PORT", "8000")
    python = sys.executable
    celery = [python, "-m", "celery", "-A", "tbt_portal"]
    commands = {
        "web": [python, "manage.py", "runserver", f"0.0.0.0:{port}", "--noreload"],
        "worker": [*celery, "worker", "--pool=threads", "--concurrency=2", "--loglevel=INFO"],
        "beat": [*celery, "beat", "--loglevel=INFO"],
    }
    procs = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}
    print(f"\nVietnam TBT Portal is running at http://localhost:{port}/ (English: http://localhost:{port}/en/)")
    print("Web server, Celery worker and scheduler started. Press Ctrl-C to stop all three.\n", flush=True)
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    try:
        while not stopping:
            for name, proc in procs.items():
                if proc.poll() is not None:
                    print(f"{name} exited with code {proc.returncode}; stopping the others.", file=sys.stderr)
                    code = proc.returncode or 1
                    stopping = True
                    break
            time.sleep(0.5)
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.time() + 10
        for proc in procs.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                proc.kill()
    print("Stopped.")
    return code


if __name__ == "__main__":
    sys.exit(main())
