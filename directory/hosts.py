"""A request naming a host the site does not serve (DJANGO_ALLOWED_HOSTS) is refused with a 400
and one warning line; left to Django, every such request from a scanner logs an error with a
traceback."""

import logging

from django.core.exceptions import DisallowedHost
from django.views.defaults import bad_request

# Django's own logger for these, so a deployment that already quietens it keeps doing so.
logger = logging.getLogger("django.security.DisallowedHost")


def refuse_unknown_hosts(get_response):
    def middleware(request):
        try:
            request.get_host()
        except DisallowedHost as error:
            logger.warning("Refused: %s", error)
            response = bad_request(request, error)
            response._has_been_logged = True  # the line above says it all
            return response
        return get_response(request)

    return middleware
