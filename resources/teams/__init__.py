"""Teams and saved views: naming a view and choosing whose it is, and each view's live counts
(docs/decisions/0009-saved-views.md). Their pages are in resources/views/saved_views.py."""
