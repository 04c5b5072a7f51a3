from io import StringIO

from django.core.management import call_command


def test_models_and_migrations_agree(db):
    """Every model change ships with its migration."""
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
