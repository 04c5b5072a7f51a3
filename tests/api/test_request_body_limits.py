"""JSON bodies are bounded in nesting and size (config.parsers): 10,000 nested lists raised
RecursionError, an error 500; a body over DATA_UPLOAD_MAX_MEMORY_SIZE is a JSON 400."""

import json

import pytest
from django.conf import settings

from activities.models import Milestone
from config.parsers import MAX_DEPTH, depth_of
from tests.api.conftest import API


def _post_raw(client, url: str, body: str | bytes):
    return client.generic("POST", url, body, content_type="application/json")


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1_000, 10_000, 100_000])
def test_deeply_nested_json_is_a_400(world, as_manager, depth):
    url = f"{API}/activities/{world.activity.pk}/milestones/"
    for body in ("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth):
        response = _post_raw(as_manager, url, body)
        assert response.status_code == 400, response.content
        assert f"more than {MAX_DEPTH} levels" in response.json()["detail"]
    assert not Milestone.objects.exists()


def test_nesting_up_to_the_limit_reaches_the_serializer(world, as_manager):
    # MAX_DEPTH levels parse; the serializer then says what is wrong with the shape.
    body = json.dumps({"title": "x", "due_date": "2016-05-01", "weight": _nested(MAX_DEPTH - 1)})
    response = _post_raw(as_manager, f"{API}/activities/{world.activity.pk}/milestones/", body)
    assert response.status_code == 400
    assert "weight" in response.json()


def _nested(levels: int):
    value: list = []
    for _ in range(levels - 1):
        value = [value]
    return value


def test_brackets_inside_strings_do_not_count(world, as_manager):
    body = json.dumps({"title": "[" * 200, "due_date": "2016-05-01"})
    response = _post_raw(as_manager, f"{API}/activities/{world.activity.pk}/milestones/", body)
    assert response.status_code == 201, response.content


def test_a_body_larger_than_the_upload_limit_is_a_400(world, as_manager):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = json.dumps({"title": "x", "due_date": "2016-05-01", "pad": "x" * limit})
    response = _post_raw(as_manager, f"{API}/activities/{world.activity.pk}/milestones/", body)
    assert response.status_code == 400
    assert f"larger than {limit} bytes" in response.json()["detail"]
    assert not Milestone.objects.exists()


def test_the_upload_limit_is_set_sanely():
    # Large enough for any honest request (and for a 2 MB narrative to be refused by its
    # field's own limit, with a message on the field), small enough to bound memory.
    assert 1_000_000 <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10_000_000


def test_malformed_json_is_still_a_parse_error(world, as_manager):
    response = _post_raw(as_manager, f"{API}/activities/{world.activity.pk}/milestones/", "{")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_depth_of_counts_levels_without_recursion():
    assert depth_of(1) == 0
    assert depth_of([]) == 1
    assert depth_of({"a": [1, {"b": []}]}) == 4
    assert depth_of(_nested(100_000)) == MAX_DEPTH + 1  # stops once past the limit
