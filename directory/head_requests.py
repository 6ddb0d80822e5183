"""HEAD answers carry the headers GET would, and no body.

Django leaves that to the server: its development server drops the body, gunicorn drops it
too but logs each one as a fault, and a streamed export would still be built row by row for
nothing. Listed first in MIDDLEWARE, so it sees the response every other middleware made.
"""


class NoBodyForHead:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method != "HEAD":
            return response
        if response.streaming:
            # Never iterated, so the rows behind it are never read; close() still runs
            # whatever the original content registered (an open file, a cursor).
            response.streaming_content = []
        else:
            response.headers.setdefault("Content-Length", str(len(response.content)))
            response.content = b""
        return response
