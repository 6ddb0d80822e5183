from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Catalogue"

    def ready(self):
        from resources import checks, signals  # noqa: F401  (registers the checks, connects the receivers)
