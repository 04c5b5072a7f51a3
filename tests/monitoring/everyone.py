"""A reader who sees every field group (a superuser, never saved: no query reads it), for the
dashboard selectors' own tests; what others see is tested through the pages
(tests/pages/test_activity_sensitivity.py, tests/monitoring/test_dashboard_sensitivity.py)."""

from django.contrib.auth import get_user_model

EVERYONE = get_user_model()(username="everyone", is_superuser=True, is_active=True)
