import django.db.models.deletion
from django.db import migrations, models


def link_sessions(apps, schema_editor):
    """A session belongs to the certifier of its CQPs (before this migration, sessions only held Mutualité CQPs or
    mixed them: the certifier of its first CQP, the CPNEFP when it has none)."""
    JurySession = apps.get_model("jury", "JurySession")
    Certifier = apps.get_model("referentiels", "Certifier")
    default = Certifier.objects.filter(code="cpnefp_mutualite").first()
    for session in JurySession.objects.filter(certifier__isnull=True):
        first = session.certifications.order_by("id").first()
        session.certifier_id = first.certifier_id if first else (default.pk if default else None)
        session.save(update_fields=["certifier"])


class Migration(migrations.Migration):
    dependencies = [
        ("jury", "0003_immutable_decisions"),
        ("referentiels", "0003_certifier"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicaljurysession",
            name="certifier",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="referentiels.certifier",
                verbose_name="certificateur",
            ),
        ),
        migrations.AddField(
            model_name="jurysession",
            name="certifier",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="jury_sessions",
                to="referentiels.certifier",
                verbose_name="certificateur",
            ),
        ),
        migrations.AlterField(
            model_name="historicaljurysession",
            name="president_college",
            field=models.CharField(
                blank=True,
                choices=[("employeur", "Collège employeur"), ("salarie", "Collège salarié")],
                max_length=20,
                verbose_name="collège de la présidence",
            ),
        ),
        migrations.AlterField(
            model_name="historicalsessionmember",
            name="college",
            field=models.CharField(
                choices=[("employeur", "Collège employeur"), ("salarie", "Collège salarié")],
                max_length=20,
                verbose_name="collège",
            ),
        ),
        migrations.AlterField(
            model_name="jurysession",
            name="president_college",
            field=models.CharField(
                blank=True,
                choices=[("employeur", "Collège employeur"), ("salarie", "Collège salarié")],
                max_length=20,
                verbose_name="collège de la présidence",
            ),
        ),
        migrations.AlterField(
            model_name="sessionmember",
            name="college",
            field=models.CharField(
                choices=[("employeur", "Collège employeur"), ("salarie", "Collège salarié")],
                max_length=20,
                verbose_name="collège",
            ),
        ),
        migrations.RunPython(link_sessions, migrations.RunPython.noop),
    ]
