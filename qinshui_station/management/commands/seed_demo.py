from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand

from qinshui_station.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Create the demo organizations, one account per role, and each app's demo data (idempotent)."

    def handle(self, *args, **options):
        accounts = load_demo()
        # Each app may ship <app>/demo.py with load_demo(under_way=True) -> list[str] (lines to print): its
        # data with work under way for every role. Looked up by name so that the core does not import the
        # apps above it; in this order, because the evaluation's demo creates the station the funding demo pays.
        for name in ("applications", "reviews", "funding"):
            if apps.is_installed(name):
                try:
                    module = import_module(f"{name}.demo")
                except ModuleNotFoundError:
                    continue
                for line in module.load_demo(under_way=True) or []:
                    self.stdout.write(line)
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, role, org in accounts:
            self.stdout.write(f"  {username:<10} {role:<8} {org}")
