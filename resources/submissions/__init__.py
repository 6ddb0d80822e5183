"""What anyone may send without an account: a suggested resource and a problem report, their
forms, and the hourly limit on them (docs/decisions/0008-suggestions.md)."""
