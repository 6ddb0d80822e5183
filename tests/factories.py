"""Small factory functions: each makes one valid row, with overrides for what a test cares about."""

from importlib import import_module
from itertools import count

from django.contrib.auth.models import Group, User
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from resources.models import (
    Organisation,
    ProblemKind,
    ProblemReport,
    ReportStatus,
    Resource,
    ResourceStatus,
    SavedView,
    Team,
    WayIn,
    WayInPick,
)
from taxonomy.models import Term, Vocabulary

sequence = count(1)


def make_vocabulary(**overrides):
    number = next(sequence)
    fields = {
        "name": f"Vocabulary {number}",
        "slug": f"vocabulary-{number}",
        "position": number,
    }
    return Vocabulary.objects.create(**(fields | overrides))


def make_term(**overrides):
    number = next(sequence)
    fields = {"name": f"Term {number}", "slug": f"term-{number}", "position": number}
    fields |= overrides
    if "vocabulary" not in fields:
        fields["vocabulary"] = make_vocabulary()
    return Term.objects.create(**fields)


def make_organisation(**overrides):
    number = next(sequence)
    fields = {"name": f"Organisation {number}", "slug": f"organisation-{number}"}
    return Organisation.objects.create(**(fields | overrides))


def make_resource(*, terms=(), keywords=(), **overrides):
    number = next(sequence)
    fields = {
        "title": f"Resource {number}",
        "url": f"https://example.org/resources/{number}",
        "status": ResourceStatus.PUBLISHED,
    }
    fields |= overrides
    if "publisher" not in fields:
        fields["publisher"] = make_organisation()
    if fields["status"] == ResourceStatus.PUBLISHED:
        fields.setdefault("published_at", timezone.now())
    resource = Resource.objects.create(**fields)
    if terms:
        resource.terms.set(terms)
    if keywords:
        resource.keywords.set(list(keywords))
    return resource


def make_resources(number, **overrides):
    publisher = overrides.pop("publisher", None) or make_organisation()
    return [make_resource(publisher=publisher, **overrides) for _ in range(number)]


def make_user(*, groups=(), **overrides):
    number = next(sequence)
    fields = {"username": f"person{number}", "is_staff": True}
    user = User.objects.create_user(password="a-long-test-password", **(fields | overrides))
    for name in groups:
        user.groups.add(curator_group(name))
    return user


# The migrations that make the Librarian and Editor groups and grant them permissions.
GROUP_MIGRATIONS = [
    ("0002_librarian_and_editor_groups", "create_groups"),
    ("0008_link_report_permissions", "grant"),
    ("0010_suggestions_and_reports", "grant"),
    ("0028_ways_in", "grant"),
    ("0029_insights", "grant"),
]


def curator_group(name):
    """The Librarian or Editor group. Migrations make them; a transactional test's flush empties
    every table, so they are made again here as their migrations make them."""
    if not Group.objects.filter(name=name).exists():
        loader = MigrationLoader(connection)
        for migration, function in GROUP_MIGRATIONS:
            apps = loader.project_state(("resources", migration)).apps
            getattr(import_module(f"resources.migrations.{migration}"), function)(apps, None)
    return Group.objects.get(name=name)


def make_problem_report(**overrides):
    fields = {
        "kind": ProblemKind.BROKEN_LINK,
        "message": f"Problem {next(sequence)}: the link goes nowhere.",
    }
    fields |= overrides
    if "resource" not in fields:
        fields["resource"] = make_resource()
    if fields.get("status") == ReportStatus.RESOLVED:
        fields.setdefault("resolved_at", timezone.now())
    return ProblemReport.objects.create(**fields)


def make_person(*, teams=(), **overrides):
    """Someone who signs in to the site (not staff), in these teams."""
    person = make_user(**({"is_staff": False} | overrides))
    for team in teams:
        team.members.add(person)
    return person


def make_team(*, members=(), **overrides):
    number = next(sequence)
    team = Team.objects.create(**({"name": f"Team {number}", "slug": f"team-{number}"} | overrides))
    team.members.set(members)
    return team


def make_saved_view(**overrides):
    number = next(sequence)
    fields = {"name": f"Saved view {number}", "query_string": ""}
    fields |= overrides
    if "owner" not in fields:
        fields["owner"] = make_person(teams=[fields["team"]] if fields.get("team") else ())
    return SavedView.objects.create(**fields)


def make_way_in(*, picks=(), **overrides):
    """A published role page (an audience term's), its picks in the order given."""
    fields = {"introduction": "Where to start for this role.", "is_published": True}
    fields |= overrides
    if "term" not in fields:
        audience = Vocabulary.objects.filter(slug="audience").first()
        fields["term"] = make_term(vocabulary=audience or make_vocabulary(slug="audience"))
    way_in = WayIn.objects.create(**fields)
    for position, resource in enumerate(picks, start=1):
        WayInPick.objects.create(way_in=way_in, resource=resource, position=position)
    return way_in
