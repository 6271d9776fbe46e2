from django.conf import settings
from django.core.management.base import BaseCommand

from chainwork.demo import DEMO_USERS


class Command(BaseCommand):
    help = "Print the demo logins (username, role) and the demo password."

    def handle(self, *args, **options):
        self.stdout.write(f"Demo logins at http://127.0.0.1:8000/  (password: {settings.DEMO_PASSWORD})")
        for demo in DEMO_USERS:
            self.stdout.write(f"  {demo.username:<18} {demo.display_name}")
