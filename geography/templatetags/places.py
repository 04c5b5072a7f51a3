"""`{% activity_places activity.pk as places %}`: an activity's recipient countries and regions
for pages of other apps (the activity page), which cannot import geography (2 queries)."""

from django import template

from geography import selectors

register = template.Library()


@register.simple_tag
def activity_places(activity_id: int) -> selectors.Places:
    return selectors.places_of(activity_id=activity_id)
