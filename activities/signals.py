"""The one sanctioned domain event (DESIGN.md §2).

`activity_facts_changed` is sent by `activities.services.announce_facts_changed`, after the commit
of every write that changes an activity or what hangs off it (an edit, an update approved, a
milestone completed, a bulk load). The change is already recorded as a pending `Event` row; the
monitoring app connects to the signal in its AppConfig.ready() and queues the event's delivery
(re-assessing the activities), so this app never imports monitoring. A delivery that never
happens is not lost: the monitoring sweeper finds the event still pending.
"""

from django.dispatch import Signal

# Sent with: event_id: int, activity_ids: list[int], reason: str
activity_facts_changed = Signal()

# Sent with: event_ids: list[int], after the commit of a change that recorded events for people
# and REST clients to hear about (activities.services.record_event, record_keyed_events).
# Monitoring queues their delivery, one message for them all, as it does for facts_changed; the
# sweeper delivers them should that message be lost.
event_recorded = Signal()
