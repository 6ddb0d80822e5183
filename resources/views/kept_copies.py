"""Kept copies of a saved view's list: keeping one, reading it (and what has changed since),
taking it away as a file, and deleting it. Only people who can open the saved view see its copies;
anyone else gets a 404, as for the view itself (docs/decisions/0020-kept-copies.md)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from resources import exports
from resources.kept_copies import (
    MAX_ITEMS,
    TooLarge,
    changes_since,
    export_rows,
    frozen_vocabularies,
    keep_copy,
)
from resources.models import SavedView
from resources.views.saved_views import results_url, saved_view_for
from resources.views.shared import finder_url
from taxonomy.models import vocabularies_with_terms

COPIES_PER_PAGE = 20


def kept_copy_for(request, pk, number):
    """The saved view and its copy, if the person can open the view; a 404 for anyone else."""
    view = get_object_or_404(
        SavedView.objects.visible_to(request.user).select_related("team"), pk=pk
    )
    return view, get_object_or_404(view.kept_copies.select_related("created_by"), number=number)


def kept_on(copy):
    return timezone.localdate(copy.created_at)


@login_required
@require_POST
def kept_copy_new(request, pk):
    """Keep a copy of what the saved view (as saved) finds today."""
    view = saved_view_for(request, pk)
    try:
        copy = keep_copy(view, by=request.user)
    except TooLarge as too_large:
        messages.error(
            request,
            f"{too_large} Narrow the view to keep a copy, or download the whole list as a "
            "spreadsheet (CSV) instead.",
        )
        return redirect(results_url(view, view.query_string))
    count = copy.item_count
    messages.success(
        request,
        f"Kept copy {copy.number} of “{view.name}”: {count} resource{'s' if count != 1 else ''} "
        f"as of {date_format(kept_on(copy), 'j F Y')}.",
    )
    return redirect(copy)


@login_required
@require_GET
def kept_copy_list(request, pk):
    view = saved_view_for(request, pk)
    copies = view.kept_copies.select_related("created_by")
    page = Paginator(copies, COPIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"saved_view": view, "page": page, "max_items": f"{MAX_ITEMS:,}"}
    return render(request, "resources/keptcopy_list.html", context)


@login_required
@require_GET
def kept_copy_detail(request, pk, number):
    """The copy's list as kept, ready to print, and how the saved view differs now."""
    view, copy = kept_copy_for(request, pk, number)
    changes = changes_since(copy, view, vocabularies_with_terms())
    context = {
        "saved_view": view,
        "kept_copy": copy,
        "kept_on": kept_on(copy),
        "changes": changes,
        "finder_url": request.build_absolute_uri(finder_url(copy.query_string)),
    }
    return render(request, "resources/keptcopy_detail.html", context)


def export_filename(copy, extension):
    """'health-inequalities-resources-race-equality-copy-3-2026-12-01.csv': safe ASCII."""
    parts = [exports.FILENAME_START, slugify(copy.view_name)[:60].strip("-")]
    parts += [f"copy-{copy.number}", kept_on(copy).isoformat()]
    return "-".join(part for part in parts if part) + f".{extension}"


@login_required
@require_GET
def kept_copy_export(request, pk, number, format):
    """The copy's own items as CSV, RIS or BibTeX, dated the day it was kept: the live catalogue
    is not read."""
    _, copy = kept_copy_for(request, pk, number)
    export = exports.FORMATS[format]
    lines = export.write(
        export_rows(copy),
        exports.Context(request, frozen_vocabularies(copy), kept_on(copy)),
    )
    response = StreamingHttpResponse(exports.in_pieces(lines), content_type=export.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{export_filename(copy, export.extension)}"'
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def kept_copy_delete(request, pk, number):
    view, copy = kept_copy_for(request, pk, number)
    if request.method == "POST":
        copy.delete()
        messages.success(request, f"Deleted copy {copy.number} of “{view.name}”.")
        return redirect("resources:kept-copies", pk=view.pk)
    context = {"saved_view": view, "kept_copy": copy, "kept_on": kept_on(copy)}
    return render(request, "resources/keptcopy_confirm_delete.html", context)
