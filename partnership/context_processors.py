from partnership.models import Profile


def current_profile(request) -> dict:
    """The signed-in user's profile (organization and role) for the page header, in one query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_profile": None}
    profile = Profile.objects.select_related("organization").filter(user=user).first()
    return {"current_profile": profile}
