import importlib
import importlib.util

from django.core.management.base import BaseCommand

from hub import demo

# Each app seeds its own demo data in `<app>/demo.py: seed(out)`, in this order.
APPS = ["hub", "profiles", "billing", "renewals", "support"]


class Command(BaseCommand):
    help = "Load the demo data (idempotent; dates relative to today) and print the demo logins."

    def handle(self, *args, **options):
        for app in APPS:
            if importlib.util.find_spec(f"{app}.demo") is None:
                continue
            importlib.import_module(f"{app}.demo").seed(self.stdout)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {demo.PASSWORD}):"))
        self.stdout.write(demo.logins_table())
