"""The one sanctioned domain event (DESIGN.md §2).

`activity_facts_changed` is sent by the activities services, after the commit of every write that
changes an activity or what hangs off it (an edit, an update approved, a milestone completed, a
bulk load), with the ids of those activities. The monitoring app connects to it in its
AppConfig.ready() and re-assesses them, so this app never imports monitoring.
"""

from django.dispatch import Signal

# Sent with: activity_ids: list[int], reason: str
activity_facts_changed = Signal()
