from django import forms

from activities.models import Event
from notifications import rules
from notifications.models import COMMENT_MAX, Cadence


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


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Plain text; links are shown as links. Mention someone with @username.",
    )
    update = forms.TypedChoiceField(
        label="About", required=False, coerce=int, empty_value=None, choices=()
    )

    def __init__(self, *args, updates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["update"].choices = [("", "The activity")] + [
            (u.pk, f"The progress update to {u.period_end:%d %b %Y} ({u.get_state_display()})")
            for u in updates
        ]


class EditCommentForm(forms.Form):
    body = forms.CharField(
        label="Comment", max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class WebhookForm(forms.Form):
    url = forms.URLField(label="Receiver URL", max_length=500, assume_scheme="https")
    event_types = forms.MultipleChoiceField(
        label="Event types", widget=forms.CheckboxSelectMultiple, choices=()
    )
    description = forms.CharField(label="Description", max_length=200, required=False)
    secret = forms.CharField(
        label="Secret",
        max_length=200,
        required=False,
        help_text="At least 16 characters. Leave blank and one is made for you.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Event.Kind.choices)
        self.fields["event_types"].choices = [(k, labels[k]) for k in rules.KINDS_FOR_PEOPLE]


class WebhookToggleForm(forms.Form):
    active = forms.BooleanField(required=False)
    version = forms.IntegerField(min_value=1)
