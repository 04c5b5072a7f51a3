"""The admin's view-only permission set, shared by every app's admin: records that only a
service or the engine writes are shown there, never added, changed or deleted."""

from __future__ import annotations


class ViewOnly:
    """Mix into a ModelAdmin or an inline before the admin class."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
