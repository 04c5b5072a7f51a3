from django import forms

from activities.models import Event
from notifications import rules
from notifications.models import Cadence


class PreferencesForm(forms.Form):
    """One choice per kind of event."""

    def __init__(self, *args, initial_choices: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Event.Kind.choices)
        for kind in rules.KINDS_FOR_PEOPLE:
            self.fields[kind] = forms.ChoiceField(
                label=labels[kind], choices=Cadence.choices, initial=initial_choices[kind]
            )


class MarkReadForm(forms.Form):
    """Which notification to mark read; none: all of them."""

    notification = forms.IntegerField(required=False, min_value=1)
