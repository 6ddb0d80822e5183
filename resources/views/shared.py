"""What the public pages share: a page of results that never errors, and links to finder views.

Only modules of this package import it: nothing outside views/ imports from views/."""

from django.core.paginator import Paginator
from django.urls import reverse

from resources.exports import DIRECTORY_NAME
from resources.finder import whole_number

PAGE_SIZE = 20


def page_of(request, items, problems, size=PAGE_SIZE):
    """The requested page, with a message instead of an error for a page that does not exist."""
    paginator = Paginator(items, size)
    requested = request.GET.get("page", "1")
    number = whole_number(requested)
    if number is None or number < 1:
        problems.append(f"There is no page “{requested[:20]}”, so this is page 1.")
        number = 1
    elif number > paginator.num_pages:
        problems.append(
            f"There {'is only 1 page' if paginator.num_pages == 1 else f'are only {paginator.num_pages} pages'}"
            " of results, so this is the last."
        )
        number = paginator.num_pages
    return paginator.page(number)


def with_query(url, query_string):
    return f"{url}?{query_string}" if query_string else url


def canonical_url(request, path, page=None, query_string=""):
    """The page's absolute address for <link rel="canonical">: its path and canonical query
    string, with the page number from the second page on."""
    if page is not None and page.number > 1:
        query_string = "&".join(part for part in (query_string, f"page={page.number}") if part)
    return request.build_absolute_uri(with_query(path, query_string))


def finder_url(query_string):
    return with_query(reverse("resources:list"), query_string)


def view_title(finder):
    """A finder view's headline with the directory's name: the title of its feed and its embed."""
    return f"{finder.headline()} – {DIRECTORY_NAME}"
