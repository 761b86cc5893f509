"""Field-encryption key rotation: re-encrypt every encrypted field and rebuild the lookup digests
with the newest key (FIELD_ENCRYPTION_KEY[0]), online and resumable.

Rows are rewritten in small batches, each its own short transaction with the batch's rows locked,
so tellers keep working; progress (the last primary key done per model) is kept in a state file,
so an interrupted run continues where it stopped. Running it again changes nothing that matters.
When `rotation_pending()` finds nothing left, the older keys can be removed from the setting.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

from compliance.audit import audit_record
from compliance.fields import EncryptedBinaryField, EncryptedTextField


def encrypted_models() -> list[tuple[type, list[str]]]:
    """Every model with encrypted fields, with those fields' names."""
    found = []
    for model in apps.get_models():
        names = [field.name for field in model._meta.concrete_fields
                 if isinstance(field, EncryptedTextField | EncryptedBinaryField)]
        if names and not model._meta.proxy:
            found.append((model, names))
    return sorted(found, key=lambda item: item[0]._meta.label)


@dataclass
class RotationState:
    path: Path
    done: dict

    @classmethod
    def load(cls, path: Path, *, restart: bool) -> "RotationState":
        done = {} if restart or not path.exists() else json.loads(path.read_text())
        return cls(path, done)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.done, indent=1))


def _rewrite_batch(model, names: list[str], pks: list) -> None:
    with transaction.atomic():
        for row in model._default_manager.select_for_update().filter(pk__in=pks).order_by("pk"):
            # update() encrypts the plain values again, with the newest key only.
            values = {name: getattr(row, name) for name in names}
            if hasattr(row, "blind_index_values"):
                values.update(row.blind_index_values())
            model._default_manager.filter(pk=row.pk).update(**values)


def rotate_keys(*, batch_size: int = 200, state_path: Path, restart: bool = False,
                progress=lambda label, count: None) -> dict[str, int]:
    """Rewrite every encrypted row with the newest key; returns rows rewritten per model."""
    state = RotationState.load(state_path, restart=restart)
    rewritten = {}
    for model, names in encrypted_models():
        label = model._meta.label
        rows = model._default_manager.order_by("pk")
        if label in state.done:
            rows = rows.filter(pk__gt=state.done[label])
        rewritten[label] = 0
        while pks := list(rows.values_list("pk", flat=True)[:batch_size]):
            _rewrite_batch(model, names, pks)
            state.done[label] = pks[-1]
            state.save()
            rows = model._default_manager.order_by("pk").filter(pk__gt=pks[-1])
            rewritten[label] += len(pks)
            progress(label, rewritten[label])
    with transaction.atomic():
        audit_record(actor=None, action="keys.rotated", after={
            "rows": rewritten, "key_count": len(settings.FIELD_ENCRYPTION_KEY)},
            summary="encrypted fields re-encrypted and lookup digests rebuilt with the newest key")
    state.path.unlink(missing_ok=True)  # a finished run; the next starts from the beginning
    return rewritten


def rotation_pending() -> dict[str, int]:
    """Rows per model that the newest key alone cannot read yet, or whose lookup digests were
    made with an older key. Empty: the older keys can be removed from FIELD_ENCRYPTION_KEY."""
    newest = Fernet(settings.FIELD_ENCRYPTION_KEY[0].encode())
    pending = {}
    for model, names in encrypted_models():
        columns = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column)
                            for name in [model._meta.pk.name, *names])
        with connection.cursor() as cursor:
            # Names from the models' own metadata, quoted: no outside input reaches the SQL.
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608
            stale = {pk for pk, *values in cursor
                     if not all(_readable(newest, value) for value in values)}
        if hasattr(model, "blind_index_values"):
            stale |= {row.pk for row in model._default_manager.exclude(pk__in=stale).iterator()
                      if any(getattr(row, name) != digest
                             for name, digest in row.blind_index_values().items())}
        if stale:
            pending[model._meta.label] = len(stale)
    return pending


def _readable(fernet: Fernet, value) -> bool:
    if value is None or value in ("", b""):
        return True
    try:
        fernet.decrypt(value.encode() if isinstance(value, str) else bytes(value))
    except InvalidToken:
        return False
    return True
