import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench.scale import SCALES, ScaleSeeder, already_loaded
from cases.demo import seed_cases
from chainwork.audit import command_context
from chainwork.demo import DEMO_USERS, seed_users
from enterprises import chain_counts
from enterprises.demo import seed_enterprises
from liaison.demo import seed_assignments, seed_contacts
from meetings.demo import seed_meetings
from policies.demo import seed_policies_demo


class Command(BaseCommand):
    help = "Load reference data and the demo data; resets the demo users' passwords to DEMO_PASSWORD."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["demo", *SCALES], default="demo",
                            help="demo (default) for `make run`; small or w1 add national-scale data for `make bench`")
        parser.add_argument("--seed", type=int, default=2020, help="random seed of the scale data (reproducible)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bars")

    def handle(self, *args, scale, seed, no_progress, **options):
        if scale != "demo" and already_loaded(SCALES[scale]):
            raise CommandError(f"The {scale} data is already in this database: load it into a fresh one "
                               "(make bench creates its own).")
        self.seed_demo()
        if scale != "demo":
            started = time.monotonic()
            with command_context(f"seed_demo --scale {scale}"):
                counts = ScaleSeeder(SCALES[scale], seed=seed, progress=not no_progress).run()
            for name, count in counts.items():
                self.stdout.write(f"{name}: {count:,}")
            self.stdout.write(self.style.SUCCESS(f"{scale} data loaded in {time.monotonic() - started:.0f} s."))

    def seed_demo(self):
        with command_context("seed_demo"):
            seed_users()
            enterprises = seed_enterprises()
            seed_assignments(enterprises)
            problems = seed_cases(enterprises)
            seed_contacts(enterprises)
            seed_policies_demo(enterprises)
            seed_meetings()
            chain_counts.recount()
        self.stdout.write(f"Enterprises: {len(enterprises)} (Hubei chains with Guangdong and foreign suppliers)")
        self.stdout.write(f"Problems: {problems} new (every state; some shared with Guangdong)")
        self.stdout.write(self.style.SUCCESS(
            f"Demo data loaded. {len(DEMO_USERS)} demo users, password: {settings.DEMO_PASSWORD}"
        ))
