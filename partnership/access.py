"""Who may reach which URL before any per-object check.

Every page requires a signed-in user, except those marked with `login_not_required` (the login
page, /healthz). The API is left to DRF, which authenticates tokens as well as sessions and answers
401 rather than redirecting to a login page.
"""

from django.contrib.auth.middleware import LoginRequiredMiddleware


class LoginRequiredExceptApiMiddleware(LoginRequiredMiddleware):
    api_prefix = "/api/"

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(self.api_prefix):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
