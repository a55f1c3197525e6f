from django.core.management.base import BaseCommand

from qinshui_station.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Create the demo organizations and one account per role (idempotent)."

    def handle(self, *args, **options):
        accounts = load_demo()
        self.stdout.write("演示账号（密码均为 %s）：" % DEMO_PASSWORD)
        for username, role, org in accounts:
            self.stdout.write(f"  {username:<10} {role:<8} {org}")
