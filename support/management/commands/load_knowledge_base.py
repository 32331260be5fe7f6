"""Load (or refresh) the knowledge base from support/kb_articles/<language>/<slug>.md."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from support.knowledge.loader import default_directory, load_articles


class Command(BaseCommand):
    help = (
        "Create or update knowledge-base articles from Markdown files with front matter, by "
        "(language, slug). Articles staff edited in the admin are left alone unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=None, help="Folder with one sub-folder per language.")
        parser.add_argument("--force", action="store_true", help="Overwrite articles edited in the admin.")
        parser.add_argument("--strict", action="store_true", help="Fail when a file has errors.")

    def handle(self, *args, path=None, force=False, strict=False, **options):
        directory = path or default_directory()
        report = load_articles(directory, force=force)
        for file, message in report.errors:
            self.stderr.write(f"{file}: {message}")
        for label in report.skipped_staff_edits:
            self.stdout.write(f"kept staff edits of {label} (use --force to overwrite)")
        self.stdout.write(
            f"Knowledge base from {directory}: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.skipped_staff_edits)} kept as edited by staff, "
            f"{len(report.errors)} with errors, {len(report.not_in_files)} in the database only."
        )
        if strict and report.errors:
            raise CommandError(f"{len(report.errors)} article file(s) have errors.")
