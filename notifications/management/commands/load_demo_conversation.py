"""A short conversation on a joint 2016 demo activity, with a mention across the two
organizations; `load_demo` runs it by name after the replay. Written through the conversation
service, so the mention reaches the inbox; nothing is written when the activity already has
comments (a second run changes nothing)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from activities.models import Activity
from notifications import conversation

THREAD = (
    (
        "liaison-interpol",
        "@liaison-unodc the Q3 report is in. Can UNODC confirm the figures for the regional "
        "workshop? Agenda: https://www.unodc.org/",
    ),
    ("liaison-unodc", "Confirmed, 42 participants. I will add the list to the Q4 report."),
)


class Command(BaseCommand):
    help = "Write the demo's conversation (idempotent)."

    def handle(self, *args, **options):
        users = {u.username: u for u in get_user_model().objects.filter(username__in=dict(THREAD))}
        activity = (
            Activity.objects.filter(
                participations__organization__acronym="INTERPOL", priorities__year=2016
            )
            .filter(participations__organization__acronym="UNODC")
            .order_by("code")
            .first()
        )
        if activity is None or len(users) < 2:
            self.stdout.write("No demo activity for a conversation; nothing written.")
            return
        if activity.comments.exists():
            self.stdout.write(f"Conversation on {activity.code} already there.")
            return
        for username, body in THREAD:
            conversation.post_comment(actor=users[username], activity=activity, body=body)
        self.stdout.write(f"Conversation on {activity.code}: {len(THREAD)} comments.")
