from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """Data in and out of a plan: the Activity Matrix spreadsheet round trip and the IATI export.
    Sits above `activities` (imports it and `partnership`, never `monitoring`)."""

    name = "exchange"
