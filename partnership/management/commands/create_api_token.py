"""Issue a user's API token (replacing any they had) and print it: it is shown only this once,
since the database keeps only its digest."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from partnership.services import rotate_api_token


class Command(BaseCommand):
    help = (
        "Issue a new API token for a user, replacing any they had, and print it. The database "
        "keeps only a digest: note the token now."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        try:
            user = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"No user named {username!r}.") from exc
        record, token = rotate_api_token(user=user)
        expiry = f", valid until {record.expiry:%Y-%m-%d %H:%M} UTC" if record.expiry else ""
        self.stdout.write(f"Generated token {token} for user {username}{expiry}")
