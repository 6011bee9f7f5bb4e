"""Settings as a fresh process reads them: tracker/settings.py reads the
environment once, when it is imported, so another environment needs another
process."""

import os
import subprocess
import sys

from django.conf import settings


def setting_in_fresh_process(expression, unset=(), **environment):
    """print(expression) after django.setup() (`settings` is in scope), in a
    process whose environment is this one's without `unset`, with `environment`."""
    env = {name: value for name, value in os.environ.items() if name not in unset}
    env.update(SECRET_KEY="test-only", DJANGO_SETTINGS_MODULE="tracker.settings", **environment)
    script = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    return result.stdout.strip()
