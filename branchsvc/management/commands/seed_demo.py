import json

from django.conf import settings
from django.core.management.base import BaseCommand

from branches.demo import DEMO_PASSWORD, DEMO_TOKENS_FILE
from branches.models import Branch
from core.apps_registry import project_modules
from insights.demo_month import seed_month

# A month of past days at the demo branch (insights.demo_month): four weeks give the staffing
# forecast every weekday four times. A tenth of each simulated day, about 25 customers, keeps the
# month to some 660 tickets: 7 days took 21-29 s on the shared 2-core machine at load 20 (not yet
# measured quiet); `--scale 1` plays full days.
DEMO_MONTH_DAYS = 28
DEMO_MONTH_SCALE = 0.1

LOGINS = [
    ("teller1 … teller5", "teller"), ("wealth1", "wealth manager"), ("lobby1", "lobby manager"),
    ("badmin1", "branch admin"), ("compliance1", "compliance officer"),
    ("dept_fx1, dept_credit1", "department staff"), ("dept_head_cs", "department head"),
    ("hoadmin", "head-office admin (also Django admin)"),
    ("teller_sh1, lobby_sh1, badmin_sh1", "staff of the second branch SH001"),
    ("teller_demo, lobby_demo, badmin_demo", "staff of DEMO01, the demo branch open 24 hours"),
]


def print_demo_logins(stdout) -> None:
    base = settings.PUBLIC_BASE_URL
    stdout.write(f"\nDemo logins (password {DEMO_PASSWORD}) at {base}/accounts/login/")
    for users, role in LOGINS:
        stdout.write(f"  {users:<36} {role}")
    stdout.write("  hoadmin, badmin1, badmin_sh1 and compliance1 also enter a two-factor code: "
                 "`.venv/bin/python manage.py demo_totp badmin1` prints the current one.")
    if DEMO_TOKENS_FILE.exists():
        stdout.write(f"Device tokens for {base}/device/login/ (branch BJ001; those named "
                     f"DEMO01 belong to the demo branch open 24 hours):")
        for name, token in json.loads(DEMO_TOKENS_FILE.read_text()).items():
            stdout.write(f"  {name:<16} {token}")
    stdout.write("Customers sign in with a phone number and a one-time code printed on this "
                 "console; demo customer phone 13800138000.\n")


class Command(BaseCommand):
    help = "Create the demo branch network, staff, devices, customers and each app's demo data."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="do nothing when the database already has branches")
        parser.add_argument("--days", type=int, default=DEMO_MONTH_DAYS,
                            help="past days of branch traffic to play at the demo branch "
                                 f"(default {DEMO_MONTH_DAYS}; 0 for none)")
        parser.add_argument("--scale", type=float, default=DEMO_MONTH_SCALE,
                            help="share of a simulated day's customers to play "
                                 f"(default {DEMO_MONTH_SCALE})")

    def handle(self, *args, if_empty, days, scale, **options):
        if Branch.objects.exists():
            if if_empty:
                print_demo_logins(self.stdout)
                return
            self.stderr.write("The database already has branches; seed a fresh database.")
            return
        for module in project_modules("demo"):
            if module.__name__ == "queueing.demo" and days > 0:
                # The past month before today's lobby: its counters open and close each day,
                # today's demo counters stay open afterwards.
                seed_month(days=days, scale=scale, stdout=self.stdout)
            module.seed(stdout=self.stdout)
        print_demo_logins(self.stdout)
