"""Settings of the notification benchmark's server: the project's settings plus a hello-world
route (tbt_portal.bench.notifications_urls), so both pages go through the same middleware."""

from tbt_portal.settings import *  # noqa: F403

ROOT_URLCONF = "tbt_portal.bench.notifications_urls"
