import json

from django.core.management.base import BaseCommand, CommandError

from queueing.engine.simulation import ABLATIONS, POLICIES, ScenarioError, compare, load_scenario, simulate


class Command(BaseCommand):
    help = (
        "Simulate a branch day on a scenario with the production routing, call-next and wait "
        "estimate code (policy smart) or a baseline: fifo (a ticket printer with the same counter "
        "permissions) or fifo_greeter (the printer plus a floor greeter); prints JSON. --compare "
        "runs smart beside every baseline on the same customers."
    )
    # Pure computation on a scenario file: no database, so no need to check the whole project.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--scenario", required=True, help="scenario JSON file")
        parser.add_argument("--policy", choices=POLICIES + ABLATIONS, default="smart")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--hours", type=float, default=None, help="only the first hours")
        parser.add_argument("--compare", action="store_true", help="smart beside every baseline")
        parser.add_argument("--ablation", action="store_true", help="with --compare: half-way policies too")

    def handle(self, *args, **options):
        try:
            scenario = load_scenario(options["scenario"])
        except (OSError, ScenarioError) as error:
            raise CommandError(f"cannot read scenario {options['scenario']}: {error}") from error
        if options["compare"]:
            result = compare(
                scenario, seed=options["seed"], hours=options["hours"], ablation=options["ablation"]
            )
        else:
            result = simulate(
                scenario, policy=options["policy"], seed=options["seed"], hours=options["hours"]
            )
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
