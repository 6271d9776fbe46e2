from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.demo import seed_cases
from chainwork.audit import command_context
from chainwork.demo import DEMO_USERS, seed_users
from enterprises.demo import seed_enterprises
from enterprises.demo_contacts import seed_contacts
from policies.demo import seed_policies_demo


class Command(BaseCommand):
    help = "Load reference data and the demo data; resets the demo users' passwords to DEMO_PASSWORD."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["demo", "small", "w1"], default="demo")

    def handle(self, *args, scale, **options):
        if scale != "demo":
            # The benchmark scales arrive with the scale issue; refuse rather than load a partial set.
            raise CommandError(f"--scale {scale} is not available yet: only the demo scale is implemented.")
        with command_context("seed_demo"):
            seed_users()
            enterprises = seed_enterprises()
            problems = seed_cases(enterprises)
            seed_contacts(enterprises)
            seed_policies_demo(enterprises)
        self.stdout.write(f"Enterprises: {len(enterprises)} (Hubei chains with Guangdong and foreign suppliers)")
        self.stdout.write(f"Problems: {problems} new (every state; some shared with Guangdong)")
        self.stdout.write(self.style.SUCCESS(
            f"Demo data loaded. {len(DEMO_USERS)} demo users, password: {settings.DEMO_PASSWORD}"
        ))
