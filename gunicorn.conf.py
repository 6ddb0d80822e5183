"""gunicorn's settings for the directory: gunicorn reads this file when started in this folder
(options on its command line still win). It only adds the start-up check below."""

import os


def when_ready(server):
    """Log the warning `manage.py check --deploy` gives (resources.W001) for the number of workers
    gunicorn was given: several workers with a cache each is correct but slow."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "directory.settings")
    from resources.checks import per_process_cache_warnings

    for warning in per_process_cache_warnings(server.cfg.workers):
        server.log.warning("%s: %s %s", warning.id, warning.msg, warning.hint)
