"""Per-branch keyed chains: every event written so far stays in the global chain ("") with
scheme 1 (plain SHA-256) and still verifies; new events are HMAC-keyed (scheme 2)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('compliance', '0004_step_confirmations'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='auditevent',
            options={'ordering': ['id'], 'verbose_name': 'audit event', 'verbose_name_plural': 'audit events'},
        ),
        migrations.RemoveConstraint(
            model_name='auditchainhead',
            name='audit_head_single_row',
        ),
        migrations.AddField(
            model_name='auditchainhead',
            name='chain',
            field=models.CharField(default='', max_length=20, unique=True),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='chain',
            field=models.CharField(blank=True, default='', max_length=20, verbose_name='chain'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='scheme',
            field=models.PositiveSmallIntegerField(default=1, verbose_name='hash scheme'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='scheme',
            field=models.PositiveSmallIntegerField(default=2, verbose_name='hash scheme'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='seq',
            field=models.PositiveBigIntegerField(verbose_name='sequence'),
        ),
        migrations.AddConstraint(
            model_name='auditevent',
            constraint=models.UniqueConstraint(fields=('chain', 'seq'), name='audit_seq_per_chain'),
        ),
    ]
