"""Production settings pass Django's deployment check; the CSP allows no inline script."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)


def run_check_deploy(tmp_path, **extra_env):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "HTTPS", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "teilhabe.settings",
            "SECRET_KEY": "x7Gm-very-long-random-production-secret-key-0123456789-abcdefghij",
            "ALLOWED_HOSTS": "teilhabe.example.org",
            "HTTPS": "true",
            "VAR_DIR": str(tmp_path),
            **extra_env,
        }
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    result = run_check_deploy(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr + result.stdout


def test_debug_in_production_is_reported(tmp_path):
    result = run_check_deploy(tmp_path, DEBUG="true")
    assert result.returncode != 0


def test_local_defaults_are_safe():
    assert settings.DEBUG is False
    assert settings.DATABASES["default"]["ENGINE"] in {
        "django.db.backends.sqlite3",
        "django.db.backends.postgresql",
    }
    assert len(settings.SECRET_KEY) >= 50


def test_pages_carry_a_strict_content_security_policy(client, db):
    policy = client.get(reverse("offers:map")).headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", policy).group(1)
    assert script_src.split() == ["'self'"]
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_templates_have_no_inline_script_or_style():
    for template in (ROOT / "teilhabe").rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag, f"inline script in {template}"
        assert not re.search(r"\son[a-z]+\s*=", text), f"inline event handler in {template}"
        assert not re.search(r"\sstyle\s*=", text), f"inline style in {template}"


def test_health_check_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
