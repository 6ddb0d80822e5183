from itertools import islice

SHOWN = 20  # enough to act on; the rest are found through the object's own page


class RefuseDeletingInUse:
    """Admin mixin: refuse to delete an object something still uses, naming what uses it.

    Many-to-many links are not protected by the database (deleting a term would silently untag
    its resources), so the admin refuses instead. Subclasses say what uses an object in
    `in_use(obj)`: an iterable of short descriptions."""

    def in_use(self, obj):
        raise NotImplementedError

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for obj in objs:
            protected.extend(islice(self.in_use(obj), SHOWN))
        if protected:  # say what is in the way, not which permissions the cascade would need
            perms_needed = set()
        return deleted, counts, perms_needed, protected
