"""Synthetic catalogues for measuring the site at scale (`manage.py generate_catalogue`), never
shipped data: the words they are made of, the generator, and loading and deleting them."""
