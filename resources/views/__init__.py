"""The public pages, one module per part: the catalogue (home, a resource, organisations), the
finder, a view taken away (exports, reading list, feed, embed), the public forms, saved views and
teams, and the topic pages. Views import from the other packages; nothing imports from views."""
