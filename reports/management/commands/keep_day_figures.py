"""`manage.py keep_day_figures`: keep the 日报's figures of past days (and of today once past its
cut-off) that are not kept yet — the same code beat runs, for a day it missed or after a load."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from reports import day_figures
from reports.models import default_daily_cut_off


class Command(BaseCommand):
    help = "Keep the daily report's enterprise figures of the last days (or of one --date) not kept yet."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=day_figures.KEEP_DAYS,
                            help="how many days back from today (default %(default)s)")
        parser.add_argument("--date", type=dt.date.fromisoformat, help="one day, YYYY-MM-DD")
        parser.add_argument("--cut-off", type=dt.time.fromisoformat, help="HH:MM (default the 日报's)")

    def handle(self, *args, days, date, cut_off, **options):
        if date is not None:
            if not day_figures.keep(date, cut_off or default_daily_cut_off()):
                raise CommandError(f"{date} has not reached its cut-off yet.")
            self.stdout.write(self.style.SUCCESS(f"{date} kept."))
            return
        written = day_figures.keep_recent(days=days)
        self.stdout.write(self.style.SUCCESS(f"Days kept now: {written}"))
