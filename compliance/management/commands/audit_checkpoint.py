from django.core.management.base import BaseCommand

from compliance.checkpoints import audit_checkpoint, checkpoint_path, describe


class Command(BaseCommand):
    help = "Append a signed checkpoint of every audit chain's head to the checkpoint file."

    def handle(self, *args, **options):
        entry = audit_checkpoint()
        self.stdout.write(self.style.SUCCESS(
            f"checkpoint written to {checkpoint_path()}: {describe(entry)}"))
