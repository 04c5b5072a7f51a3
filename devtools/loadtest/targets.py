"""Print the load test's targets as JSON (devtools/loadtest/run.sh runs it in `manage.py shell`):
each liaison officer's editable activities with a period end inside the activity's dates, and
every activity id for the pages."""

import datetime as dt
import json

from activities import permissions
from activities.models import Activity
from partnership.models import Profile

PERIOD_END = dt.date(2016, 6, 30)


def period_end_for(activity: Activity) -> str:
    day = PERIOD_END
    if activity.start_date and day < activity.start_date:
        day = activity.start_date
    if activity.end_date and day > activity.end_date:
        day = activity.end_date
    return day.isoformat()


activities = list(Activity.objects.prefetch_related("participations").order_by("pk"))
officers = {}
for profile in Profile.objects.filter(role=Profile.Role.LIAISON_OFFICER).select_related("user"):
    editable = [
        {"id": a.pk, "period_end": period_end_for(a)}
        for a in activities
        if permissions.can_edit_activity(profile.user, a)
    ]
    if editable:
        officers[profile.user.username] = editable
print(json.dumps({"officers": officers, "activities": [a.pk for a in activities]}))
