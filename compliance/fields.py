from django.db import models

from compliance.crypto import decrypt_bytes, decrypt_text, encrypt_bytes, encrypt_text


class EncryptedTextField(models.TextField):
    """A text value stored encrypted; the database column holds only the Fernet token."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(value)


class EncryptedBinaryField(models.BinaryField):
    """Bytes stored encrypted (biometric encodings, C3)."""

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt_bytes(bytes(value))

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is not None:
            value = encrypt_bytes(bytes(value))
        return super().get_db_prep_value(value, connection, prepared)
