from django.db import migrations, models


def compute(apps, schema_editor):
    from candidates.deadlines import first_jury_deadline

    Dossier = apps.get_model("candidates", "Dossier")
    for dossier in Dossier.objects.select_related("version").iterator():
        dossier.first_jury_deadline = first_jury_deadline(dossier.inscription_date, dossier.version.first_jury_window_years)
        dossier.save(update_fields=["first_jury_deadline"])


class Migration(migrations.Migration):
    dependencies = [("candidates", "0002_entretien")]

    operations = [
        migrations.AddField(
            model_name="dossier", name="first_jury_deadline",
            field=models.DateField(null=True, db_index=True, verbose_name="première présentation au jury au plus tard"),
        ),
        migrations.AddField(
            model_name="historicaldossier", name="first_jury_deadline",
            field=models.DateField(null=True, db_index=True, verbose_name="première présentation au jury au plus tard"),
        ),
        migrations.RunPython(compute, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="dossier", name="first_jury_deadline",
            field=models.DateField(
                db_index=True, verbose_name="première présentation au jury au plus tard",
                help_text="Inscription + délai du CQP (3 ans) ; prolongeable par l'OEMM avec un motif.",
            ),
        ),
        migrations.AlterField(
            model_name="historicaldossier", name="first_jury_deadline",
            field=models.DateField(
                db_index=True, verbose_name="première présentation au jury au plus tard",
                help_text="Inscription + délai du CQP (3 ans) ; prolongeable par l'OEMM avec un motif.",
            ),
        ),
    ]
