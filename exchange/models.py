"""An uploaded Activity Matrix workbook, kept between its dry run and the manager's decision."""

from django.conf import settings
from django.db import models

from partnership.models import JointActionPlan


class Upload(models.Model):
    """The file as uploaded. The confirmation applies this very file (its dry run is run again
    at that moment, against the plan as it then is, so a record changed in between is a
    conflict); the row is deleted once the file is applied or discarded."""

    plan = models.ForeignKey(JointActionPlan, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(max_length=200)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} for plan {self.plan_id}"
