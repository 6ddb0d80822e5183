"""Counting after the answer is made (resources/insights/recording.py)."""

from resources.insights.recording import record_quietly, should_record


class RecordInsights:
    """Writes what the view noted in `request.insight` (or what a cached response carried)
    once the response exists: one upsert, for a person's successful GET only. Reads no session,
    sets no cookie and leaves the response as it was."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if should_record(request, response):
            record_quietly(request.insight)
        return response
