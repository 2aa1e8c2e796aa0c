from django.apps import AppConfig


class DemoConfig(AppConfig):
    """No models, no signals: only the seed_demo command."""

    name = "demo"
    verbose_name = "Demo data"
