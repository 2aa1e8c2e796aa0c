import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandParser

from contacts.roles import ADMIN


class Command(BaseCommand):
    help = "Create the first admin account (printing its password) if there is no admin yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write(
                "Log in with your admin account. Forgot the password? "
                "Run: .venv/bin/python manage.py changepassword <username>"
            )
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_superuser(
            username=username, email=f"{username}@localhost", password=password
        )
        user.groups.add(Group.objects.get(name=ADMIN))
        self.stdout.write(
            self.style.SUCCESS(
                "\nCreated the first admin account.\n"
                f"  Username: {username}\n"
                f"  Password: {password}\n"
                "Write it down: it is shown only once. Change it in the app "
                "(user menu › Change password), or lost, with: "
                f".venv/bin/python manage.py changepassword {username}\n"
            )
        )
