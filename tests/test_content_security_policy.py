"""The Content-Security-Policy (django-csp, directory/settings.py): every response has it, the
embed alone may be framed, and no template of ours has an inline script or style for it to
block (tests/browser/test_content_security_policy.py checks the pages in a real browser)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import make_resource

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
}


def directives(response):
    return set(response["Content-Security-Policy"].split("; "))


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/resources/?q=race",
        "/organisations/",
        "/topics/",
        "/accounts/login/",
        "/admin/login/",
        "/api/v1/resources/",
        "/api/",
        "/no-such-page/",
    ],
)
def test_every_page_allows_only_its_own_scripts_and_styles_and_no_framing(client, path):
    response = client.get(path)
    assert directives(response) == POLICY | {"frame-ancestors 'none'"}


def test_a_resource_page_and_the_admin_change_form_have_the_policy(client, editor):
    resource = make_resource()
    for url in (
        resource.get_absolute_url(),
        reverse("admin:resources_resource_change", args=[resource.pk]),
    ):
        assert directives(client.get(url)) == POLICY | {"frame-ancestors 'none'"}


def test_the_embed_may_be_framed_by_any_site_under_the_same_policy(client):
    response = client.get(reverse("resources:embed"))
    assert directives(response) == POLICY | {"frame-ancestors *"}
    assert "X-Frame-Options" not in response


INLINE = re.compile(
    r"<style|\sstyle=|\son[a-z]+=|=\s*[\"']?\s*javascript:|<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)",
    re.IGNORECASE,
)


def test_no_template_has_an_inline_script_or_style():
    """JSON data blocks (<script type="application/ld+json">) are data, not script: the policy
    does not apply to them."""
    templates = Path(settings.BASE_DIR, "templates").rglob("*.html")
    found = {
        str(path.relative_to(settings.BASE_DIR)): INLINE.findall(path.read_text())
        for path in templates
    }
    assert {path: hits for path, hits in found.items() if hits} == {}
