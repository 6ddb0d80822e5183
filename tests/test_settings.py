import os
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "q8w!Vb3-production-like-secret-zP0x7Yk2Lm9Rt4Hs6Jd1Fg5Nc8Qe0Wu",
    "DJANGO_ALLOWED_HOSTS": "directory.example.nhs.uk",
    "DJANGO_HTTPS": "1",
}


def deploy_check(environment):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env | environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_under_production_settings():
    result = deploy_check(PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_complains_about_the_placeholder_secret_key_and_plain_http():
    result = deploy_check({})
    assert result.returncode != 0
    for warning in ["security.W009", "security.W008", "security.W004", "security.W012"]:
        assert warning in result.stderr


def test_debug_is_off_unless_asked_for():
    assert settings.DEBUG is False


def test_deploy_check_warns_of_several_workers_each_with_a_cache_of_its_own():
    result = deploy_check(PRODUCTION | {"WEB_CONCURRENCY": "4"})
    assert result.returncode != 0
    assert "resources.W001" in result.stderr
    assert "4 worker processes each keep a cache of their own" in result.stderr
    assert "CACHE_URL=redis://" in result.stderr


def test_deploy_check_is_clean_for_several_workers_sharing_redis():
    result = deploy_check(
        PRODUCTION | {"WEB_CONCURRENCY": "4", "CACHE_URL": "redis://127.0.0.1:6379/4"}
    )
    assert result.returncode == 0, result.stderr
