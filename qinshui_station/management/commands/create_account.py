"""``manage.py create_account``: a system administrator creates a staff account on the host, the finance and
organization-department ones included (SPEC.md "Separation of duties": HR cannot create those).

    .venv/bin/python manage.py create_account --role finance --organization 县财政局 \\
        --username czj_li --full-name 李敏 --email li@czj.qinshui.gov.cn

The password is asked for twice on a terminal, or read from the first line of standard input, and must
pass the same checks as any new password. The audit log records the creation without a portal actor."""

from __future__ import annotations

import getpass
import sys

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from qinshui_station import services
from qinshui_station.models import Organization, User
from qinshui_station.roles import Role


class Command(BaseCommand):
    help = "Create a staff account (finance, organization department, HR, department, expert) as the administrator."

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, choices=[r for r in Role.values if r != Role.UNIT])
        parser.add_argument("--organization", required=True, help="the organization's id or exact name")
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--phone", default="")
        parser.add_argument("--title", default="")

    def _password(self) -> str:
        if sys.stdin.isatty():
            first = getpass.getpass("密码：")
            if first != getpass.getpass("再次输入密码："):
                raise CommandError("两次输入的密码不一致。")
            return first
        return sys.stdin.readline().rstrip("\n")

    def handle(self, *args, **options):
        name = options["organization"]
        org = Organization.objects.filter(pk=int(name)).first() if name.isdigit() else None
        org = org or Organization.objects.filter(name=name).first()
        if org is None:
            raise CommandError(f"没有名为“{name}”的机构。")
        password = self._password()
        candidate = User(username=options["username"], full_name=options["full_name"], email=options["email"],
                         organization=org)
        try:
            password_validation.validate_password(password, candidate)
            user = services.create_account_as_administrator(
                role=options["role"], organization_id=org.pk, username=options["username"],
                full_name=options["full_name"], email=options["email"], password=password, phone=options["phone"],
                title=options["title"])
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        self.stdout.write(f"已创建账号 {user.username}（{user.get_role_display()}，{org.name}）。")
