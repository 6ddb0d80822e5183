"""What people look for and miss (docs/decisions/0021-insights.md).

- recording.py: a view notes what its page was about; one upsert adds counts to the day's rows;
- tallying.py: each process gathers counts and writes them together every few seconds;
- middleware.py: RecordInsights counts the note once the page is answered;
- rollup.py: old daily counts rolled into weekly totals, the oldest pruned;
- report.py: what the Insights page shows, above the threshold only;
- charts.py: small SVG bar charts drawn on the server;
- page.py: the admin's Insights page (/admin/insights/).
"""

from resources.insights.recording import Insight, note

__all__ = ["Insight", "note"]
