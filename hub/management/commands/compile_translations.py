from django.core.management.base import BaseCommand

from hub.launcher import compile_translations


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po to .mo in pure Python (what compilemessages does, without GNU gettext)."

    def handle(self, *args, **options):
        compile_translations()
