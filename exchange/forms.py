"""The upload page's form: the file, and the manager's explicit choice for rows missing from it."""

from django import forms

from exchange.report import MissingRows

MISSING_CHOICES = [
    (MissingRows.KEEP.value, "Leave them alone: the file adds and changes records only"),
    (MissingRows.REMOVE.value, "Remove them: the plan holds exactly what the file lists"),
]


class MissingRowsForm(forms.Form):
    # No initial value: the manager says which, every time.
    missing = forms.ChoiceField(
        label="Records of the plan that the file does not list",
        choices=MISSING_CHOICES,
        widget=forms.RadioSelect,
    )


class UploadForm(MissingRowsForm):
    file = forms.FileField(label="Activity Matrix workbook (.xlsx)")

    field_order = ["file", "missing"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Upload the .xlsx file downloaded from this plan.")
        return upload
