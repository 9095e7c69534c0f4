import django.db.models.deletion
from django.db import migrations, models


def scope_oemm_staff(apps, schema_editor):
    """The OEMM acts for the CPNEFP Mutualité: existing OEMM-role accounts are scoped to it."""
    UserRole = apps.get_model("cqp", "UserRole")
    Certifier = apps.get_model("referentiels", "Certifier")
    cpnefp = Certifier.objects.filter(code="cpnefp_mutualite").first()
    if cpnefp is not None:
        UserRole.objects.filter(role="oemm", certifier__isnull=True).update(certifier=cpnefp)


class Migration(migrations.Migration):
    dependencies = [
        ("cqp", "0007_reminder_keyed_by_due_date"),
        ("referentiels", "0003_certifier"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicaluserrole",
            name="certifier",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="Équipe d'un certificateur : ne voit et ne traite que ses dossiers et sessions (vide : tous).",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="referentiels.certifier",
                verbose_name="certificateur",
            ),
        ),
        migrations.AddField(
            model_name="userrole",
            name="certifier",
            field=models.ForeignKey(
                blank=True,
                help_text="Équipe d'un certificateur : ne voit et ne traite que ses dossiers et sessions (vide : tous).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="staff_roles",
                to="referentiels.certifier",
                verbose_name="certificateur",
            ),
        ),
        migrations.AlterField(
            model_name="historicaluserrole",
            name="college",
            field=models.CharField(
                blank=True,
                choices=[("employeur", "Collège employeur"), ("salarie", "Collège salarié")],
                max_length=20,
                verbose_name="collège",
            ),
        ),
        migrations.AlterField(
            model_name="historicaluserrole",
            name="role",
            field=models.CharField(
                choices=[
                    ("candidat", "Candidat"),
                    ("organisme", "Organisme de formation"),
                    ("entreprise", "Entreprise"),
                    ("oemm", "Équipe du certificateur (OEMM, Ucanss)"),
                    ("jury", "Membre de jury"),
                    ("admin", "Administrateur"),
                ],
                max_length=20,
                verbose_name="rôle",
            ),
        ),
        migrations.AlterField(
            model_name="userrole",
            name="college",
            field=models.CharField(
                blank=True,
                choices=[("employeur", "Collège employeur"), ("salarie", "Collège salarié")],
                max_length=20,
                verbose_name="collège",
            ),
        ),
        migrations.AlterField(
            model_name="userrole",
            name="role",
            field=models.CharField(
                choices=[
                    ("candidat", "Candidat"),
                    ("organisme", "Organisme de formation"),
                    ("entreprise", "Entreprise"),
                    ("oemm", "Équipe du certificateur (OEMM, Ucanss)"),
                    ("jury", "Membre de jury"),
                    ("admin", "Administrateur"),
                ],
                max_length=20,
                verbose_name="rôle",
            ),
        ),
        migrations.RunPython(scope_oemm_staff, migrations.RunPython.noop),
    ]
