from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from notifications.models import Notification
from partnership.models import Profile


def header(request) -> dict:
    """The signed-in user's profile (organization and role) and their unread count, for the page
    header, in one query: the count is a subquery of the profile's (through the partial index
    on unread inbox rows). A user without a profile (a superuser made by createsuperuser) costs a
    second query, for the count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_profile": None, "unread_notifications": 0}
    unread = (
        Notification.objects.filter(
            recipient_id=OuterRef("user_id"),
            channel=Notification.Channel.INBOX,
            read_at__isnull=True,
        )
        .order_by()
        .values("recipient_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    profile = (
        Profile.objects.select_related("organization")
        .annotate(unread=Coalesce(Subquery(unread), 0))
        .filter(user=user)
        .first()
    )
    if profile is None:
        count = Notification.objects.filter(
            Q(recipient=user), channel=Notification.Channel.INBOX, read_at__isnull=True
        ).count()
        return {"current_profile": None, "unread_notifications": count}
    return {"current_profile": profile, "unread_notifications": profile.unread}
