"""`manage.py send_reminders`: one reminder sweep in-process, the same code Celery beat runs. It returns
when its notifications are committed (their outside deliveries are queued after the commit)."""

from django.core.management.base import BaseCommand

from reports.digest import sweep


class Command(BaseCommand):
    help = "Run one reminder sweep (follow-ups, overdue problems and referrals, instructions, daily digest)."

    def handle(self, *args, **options):
        counts = sweep()
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
        sent = sum(v for k, v in counts.items() if k not in ("failed", "redelivered"))
        self.stdout.write(self.style.SUCCESS(f"Reminders sent: {sent}"))
