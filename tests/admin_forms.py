"""Helpers for posting to the Django admin the way a browser does: start from the form the admin
rendered (its initial values and the management forms of its inlines), change a few fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client


def _post_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return [_post_value(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def admin_form_data(client: Client, url: str, **changes: Any) -> dict[str, Any]:
    """What the admin page at `url` would post unchanged, with `changes` applied."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    form = response.context["adminform"].form
    page = response.content.decode()
    data: dict[str, Any] = {}
    for name in form.fields:
        if f'name="{form.add_prefix(name)}"' not in page:
            continue  # not on the page, so a browser would not post it
        value = form[name].value()
        if value is False:
            continue  # an unticked checkbox posts nothing
        data[name] = "on" if value is True else _post_value(value)
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = _post_value(management[name].value())
    data.update(changes)
    return data


def form_errors(response) -> list[str]:
    """Every error the admin form shows: its fields' and its own."""
    form = response.context["adminform"].form
    return [message for messages in form.errors.values() for message in messages]
