"""Saved views and teams.

Every page here is for signed-in people only, and shows a saved view or team only to those it
belongs to: anyone else gets a 404, so names do not leak (docs/decisions/0009-saved-views.md).
"""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from resources.finder import Finder
from resources.models import SavedView, SavedViewVisit
from resources.teams.counts import with_counts
from resources.teams.forms import SavedViewForm
from resources.views.finder import finder_page
from resources.views.shared import finder_url, with_query
from taxonomy.models import vocabularies_with_terms

KEPT_COPIES_SHOWN = 5  # the newest copies listed on a saved view's page; the rest on their own


def saved_view_for(request, pk):
    """The saved view if it is the person's own or their team's; a 404 for anyone else."""
    return get_object_or_404(SavedView.objects.visible_to(request.user), pk=pk)


def posted(request):
    """The submitted data, or None to show an empty form (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


@login_required
@require_GET
def saved_view_list(request):
    teams = list(request.user.teams.all())
    views = with_counts(
        SavedView.objects.visible_to(request.user)
        .with_last_opened_by(request.user)
        .with_alert_for(request.user)
        .select_related("owner", "team")
    )
    by_team = {team.pk: [] for team in teams}
    for view in views:
        if view.team_id in by_team:
            by_team[view.team_id].append(view)
    context = {
        "mine": [view for view in views if view.team_id is None],
        "teams": [(team, by_team[team.pk]) for team in teams],
        "has_views": bool(views),
    }
    return render(request, "resources/savedview_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def saved_view_new(request):
    finder = Finder(request.GET, vocabularies_with_terms())
    query_string = finder.query_string()
    view = SavedView(owner=request.user, query_string=query_string)
    teams = request.user.teams.all()
    form = SavedViewForm(posted(request), instance=view, teams=teams)
    if request.method == "POST" and form.is_valid() and form.save_unless_name_taken():
        whose = f"for {view.team.name}" if view.team else "for you"
        messages.success(request, f"Saved “{view.name}” {whose}.")
        return redirect("resources:saved-views")
    context = {
        "form": form,
        "finder": finder,
        "query_string": query_string,
        "description": finder.description(),
        "result_count": finder.filtered().count(),
        "finder_url": finder_url(query_string),
    }
    return render(request, "resources/savedview_form.html", context)


def newest_copies(view):
    """The saved view's newest kept copies for its page, and whether it has more."""
    copies = list(view.kept_copies.all()[: KEPT_COPIES_SHOWN + 1])
    return {
        "kept_copies": copies[:KEPT_COPIES_SHOWN],
        "has_more_kept_copies": len(copies) > KEPT_COPIES_SHOWN,
    }


def since_key(view):
    return f"saved-view-{view.pk}-new-since"


def results_url(view, query_string):
    return with_query(reverse("resources:saved-view-results", args=[view.pk]), query_string)


@login_required
@require_GET
def saved_view_open(request, pk):
    """Open a saved view: note when the person last looked (what is new is new since then, for
    as long as they work in the view), record this visit, and show the view under its name."""
    view = saved_view_for(request, pk)
    visit = SavedViewVisit.objects.filter(user=request.user, saved_view=view).first()
    request.session[since_key(view)] = (visit.opened_at if visit else view.created_at).isoformat()
    SavedViewVisit.objects.update_or_create(
        user=request.user, saved_view=view, defaults={"opened_at": timezone.now()}
    )
    return redirect(results_url(view, view.query_string))


def new_since(request, view):
    """When what is new starts for this person: their visit before this one, kept when they
    opened the view (else their last visit, or when the view was saved)."""
    kept = request.session.get(since_key(view))
    if kept:
        return datetime.fromisoformat(kept)
    visit = SavedViewVisit.objects.filter(user=request.user, saved_view=view).first()
    return visit.opened_at if visit else view.created_at


@login_required
@require_GET
def saved_view_results(request, pk):
    """A saved view in the finder: under its name, what is new marked, and an offer to update
    the view to what the finder now shows (changing a filter here stays on this page)."""
    view = get_object_or_404(
        SavedView.objects.visible_to(request.user).with_alert_for(request.user), pk=pk
    )
    since = new_since(request, view)

    def about_the_view(finder):
        return {
            "saved_view": view,
            "new_since": since,
            "new_count": finder.filtered().filter(published_at__gt=since).count(),
            **newest_copies(view),
        }

    return finder_page(request, about_the_view)


@login_required
@require_http_methods(["GET", "POST"])
def saved_view_update(request, pk):
    """Make a saved view find what the finder shows now (its query string), keeping its name."""
    view = saved_view_for(request, pk)
    finder = Finder(request.GET, vocabularies_with_terms())
    query_string = finder.query_string()
    count = finder.filtered().count()
    description = finder.description() or "(every published resource)"
    finds = f"{count} resource{'s' if count != 1 else ''} {description}"
    if request.method == "POST":
        view.query_string = query_string
        view.save(update_fields=["query_string", "updated_at"])
        messages.success(request, f"Updated “{view.name}”: it now finds {finds}.")
        return redirect(results_url(view, query_string))
    context = {
        "saved_view": view,
        "finder": finder,
        "finds": finds,
        "query_string": query_string,
        "back_url": results_url(view, query_string),
    }
    return render(request, "resources/savedview_confirm_update.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def saved_view_edit(request, pk):
    view = saved_view_for(request, pk)
    form = SavedViewForm(posted(request), instance=view)
    if request.method == "POST" and form.is_valid() and form.save_unless_name_taken():
        messages.success(request, f"Saved your changes to “{view.name}”.")
        return redirect("resources:saved-views")
    context = {"form": form, "saved_view": view, "finder_url": finder_url(view.query_string)}
    return render(request, "resources/savedview_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def saved_view_delete(request, pk):
    view = saved_view_for(request, pk)
    if request.method == "POST":
        view.delete()
        messages.success(request, f"Deleted “{view.name}”.")
        return redirect("resources:saved-views")
    context = {"saved_view": view, "kept_copy_count": view.kept_copies.count()}
    return render(request, "resources/savedview_confirm_delete.html", context)


@login_required
@require_GET
def team_detail(request, slug):
    team = get_object_or_404(request.user.teams.all(), slug=slug)
    views = with_counts(
        team.saved_views.with_last_opened_by(request.user)
        .with_alert_for(request.user)
        .select_related("owner", "team")
    )
    members = team.members.order_by("first_name", "last_name", "username")
    return render(
        request,
        "resources/team_detail.html",
        {"team": team, "saved_views": views, "members": members},
    )
