"""Geography adds its parts to the apps below it through their hooks (it owns the place records;
they never import it): registering the same part again is no change, another part under a name
already taken is refused."""

import pytest

from activities.api.serializers import ActivityDetailSerializer, add_detail_fields
from geography.api import DETAIL_FIELDS
from geography.exports import EXPORT_COLUMNS
from monitoring import exports


def test_the_export_columns_are_added_once():
    before = exports.header()
    exports.add_columns(EXPORT_COLUMNS, group="places")
    assert exports.header() == before
    assert before.count("Countries") == 1 and before.count("Regions") == 1


def test_an_export_column_under_a_taken_name_is_refused():
    with pytest.raises(ValueError, match="'Countries'"):
        exports.add_columns({"Countries": lambda ids: {}}, group="places")
    with pytest.raises(ValueError, match="'Code'"):
        exports.add_columns({"Code": lambda ids: {}}, group="places")


def test_the_detail_fields_are_added_once():
    before = list(ActivityDetailSerializer.Meta.fields)
    add_detail_fields(DETAIL_FIELDS, group="places")
    assert ActivityDetailSerializer.Meta.fields == before
    assert before.count("countries") == 1
    assert before.index("regions") < before.index("version")


def test_a_detail_field_under_a_taken_name_is_refused():
    field, _ = DETAIL_FIELDS["countries"]
    with pytest.raises(ValueError, match="'countries'"):
        add_detail_fields({"countries": (field, lambda pk: [])}, group="places")
    with pytest.raises(ValueError, match="'milestones'"):
        add_detail_fields({"milestones": (field, lambda pk: [])}, group="places")
