from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from support.services import fetch_maildir


class Command(BaseCommand):
    help = "Add ticket replies from a Maildir's new/ folder to their tickets (SUP-6); processed mail moves to cur/."

    def add_arguments(self, parser):
        parser.add_argument("maildir", nargs="?", default=None, help="Maildir path (default: HUB_SUPPORT_MAILDIR)")
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args, maildir=None, batch_size=200, **options):
        path = maildir or settings.HUB_SUPPORT_MAILDIR
        if not path:
            raise CommandError("Give a Maildir path or set HUB_SUPPORT_MAILDIR.")
        try:
            counts = fetch_maildir(path, batch_size=batch_size)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{counts['added']} added, {counts['rejected']} rejected, {counts['failed']} failed"
        )
