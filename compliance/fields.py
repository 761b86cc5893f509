from django.db import models

from compliance.crypto import decrypt_bytes, decrypt_text, encrypt_bytes, encrypt_text

# Serialised values (dumpdata, fixtures) carry the ciphertext behind this marker, never the
# plain value, and loaddata turns them back.
SERIALISED_PREFIX = "enc:"


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

    def to_python(self, value):
        if isinstance(value, str) and value.startswith(SERIALISED_PREFIX):
            return decrypt_text(value[len(SERIALISED_PREFIX):])
        return super().to_python(value)

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return SERIALISED_PREFIX + encrypt_text(value) if value else ""


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

    def to_python(self, value):
        if isinstance(value, str) and value.startswith(SERIALISED_PREFIX):
            return decrypt_bytes(value[len(SERIALISED_PREFIX):].encode())
        return super().to_python(value)

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return SERIALISED_PREFIX + encrypt_bytes(bytes(value)).decode() if value else ""
