"""Errors the activities domain raises. Callers (API, pages) map them to responses.

Invalid input is Django's own `ValidationError` (with field errors where a field is at fault), so
forms and serializers already know how to show it; these are the failures that are not about the
shape of the input.
"""

from django.core.exceptions import PermissionDenied


class NotAllowed(PermissionDenied):
    """The acting user may not make this change. Django and DRF both answer it with 403."""


class ConflictError(Exception):
    """The edit started from a version that is no longer current: someone else changed the record
    in the meantime. Nothing was written."""

    def __init__(self, *, model_name: str, expected_version: int, current_version: int) -> None:
        self.model_name = model_name
        self.expected_version = expected_version
        self.current_version = current_version
        super().__init__(
            f"This {model_name} was changed by someone else after you loaded it "
            f"(you edited version {expected_version}, it is now at version {current_version}). "
            "Reload it, reapply your changes and save again."
        )


class FundingConflict(ConflictError):
    """A funding line changed since it was read. Funding lines keep no version number, so what the
    caller read is named by the line's fingerprint (`selectors.funding_fingerprint`), as the
    Activity Matrix workbook carries it."""

    def __init__(self, *, expected: str, current: str) -> None:
        Exception.__init__(
            self,
            f"This funding line was changed by someone else after you loaded it (fingerprint "
            f"{expected}, now {current}).",
        )
        self.model_name = "funding line"
        self.expected_version = 0
        self.current_version = 0


class InvalidTransition(Exception):
    """A state change that the record's current state does not allow (e.g. approving a draft).
    Nothing was written."""


class FourEyesViolation(InvalidTransition):
    """The reviewer wrote or changed the content of the update they are approving, in some
    version: someone else must approve it (they may still return it with a note). Nothing was
    written. A kind of InvalidTransition, so every caller that shows those shows this one too."""

    code = "four_eyes"
