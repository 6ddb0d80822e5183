"""Counting after the answer is made (resources/insights/recording.py)."""

from resources.insights.recording import should_record
from resources.insights.tallying import count


class RecordInsights:
    """Counts what the view noted in `request.insight` (or what a cached response carried) once
    the response exists, for a person's successful GET only: gathered in the process and
    written with one upsert every few seconds (tallying.py). Reads no session, sets no cookie
    and leaves the response as it was."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if should_record(request, response):
            count(request.insight)
        return response
