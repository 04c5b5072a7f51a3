"""The one sanctioned domain event (DESIGN.md §2).

`activity_facts_changed` is sent by the activities services, after the write, with the ids of the
activities whose monitoring facts changed (an update approved, a milestone completed). The
monitoring app connects to it in its AppConfig.ready(), so this app never imports monitoring.
"""

from django.dispatch import Signal

# Sent with: activity_ids: list[int], reason: str
activity_facts_changed = Signal()
