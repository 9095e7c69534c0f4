import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

CERTIFIERS = {
    "cpnefp_mutualite": {
        "name": "CPNEFP Mutualité",
        "designation": "la CPNEFP Mutualité",
        "operator": "OEMM",
        "contact_label": "l'OEMM",
        "legal_basis": "décret n° 2002-615 du 26 avril 2002",
        "recevabilite_body": "l'OEMM pour la CPNEFP Mutualité",
        "jury_label": "jury paritaire",
        "jury_min_members": 4,
        "jury_max_members": 4,
        "jury_colleges": [
            {
                "college": "employeur",
                "label": "Représentant de l'UGEM (collège employeur)",
                "plural": "représentants du collège employeur (UGEM)",
                "min": 2,
                "max": 2,
            },
            {
                "college": "salarie",
                "label": "Représentant des syndicats de salariés",
                "plural": "représentants des syndicats de salariés",
                "min": 2,
                "max": 2,
            },
        ],
        "president_alternates": True,
    },
    "ucanss": {
        "name": "Ucanss",
        "designation": "l'Ucanss",
        "contact_label": "le service formation de l'Ucanss (formation@ucanss.fr)",
        "email": "formation@ucanss.fr",
        "legal_basis": "décret n° 2019-1119 du 31 octobre 2019 et arrêté du 29 janvier 2018",
        "recevabilite_body": "la commission de recevabilité VAE de l'Ucanss",
        "jury_label": "jury professionnel",
        "jury_min_members": 3,
        "jury_max_members": 4,
        "jury_colleges": [
            {
                "college": "employeur",
                "label": "Représentant des employeurs",
                "plural": "représentants des employeurs",
                "min": 1,
                "max": 3,
            },
            {
                "college": "salarie",
                "label": "Représentant des salariés",
                "plural": "représentants des salariés",
                "min": 1,
                "max": 3,
            },
        ],
        "president_alternates": False,
    },
}


def create_certifiers(apps, schema_editor):
    Certifier = apps.get_model("referentiels", "Certifier")
    for code, values in CERTIFIERS.items():
        Certifier.objects.get_or_create(code=code, defaults=values)


def link_certifications(apps, schema_editor):
    Certifier = apps.get_model("referentiels", "Certifier")
    by_code = {c.code: c for c in Certifier.objects.all()}
    for model in ("Certification", "HistoricalCertification"):
        Model = apps.get_model("referentiels", model)
        for code, certifier in by_code.items():
            Model.objects.filter(certifier_code=code).update(certifier=certifier)


def unlink_certifications(apps, schema_editor):
    for model in ("Certification", "HistoricalCertification"):
        Model = apps.get_model("referentiels", model)
        for row in Model.objects.select_related("certifier"):
            Model.objects.filter(pk=row.pk).update(certifier_code=row.certifier.code if row.certifier else "")


class Migration(migrations.Migration):
    dependencies = [
        ("referentiels", "0002_version_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Certifier",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(max_length=30, unique=True, verbose_name="code")),
                (
                    "name",
                    models.CharField(
                        help_text="ex. « CPNEFP Mutualité », « Ucanss »", max_length=100, verbose_name="nom"
                    ),
                ),
                (
                    "designation",
                    models.CharField(
                        help_text="ex. « la CPNEFP Mutualité », « l'Ucanss »",
                        max_length=120,
                        verbose_name="désignation dans une phrase",
                    ),
                ),
                ("long_name", models.CharField(blank=True, max_length=300, verbose_name="nom développé")),
                (
                    "operator",
                    models.CharField(
                        blank=True,
                        help_text="L'organisme qui mène les opérations pour lui (ex. OEMM).",
                        max_length=100,
                        verbose_name="opérateur",
                    ),
                ),
                (
                    "operator_long_name",
                    models.CharField(blank=True, max_length=300, verbose_name="nom développé de l'opérateur"),
                ),
                (
                    "contact_label",
                    models.CharField(
                        help_text="ex. « l'OEMM », « le service formation de l'Ucanss »",
                        max_length=200,
                        verbose_name="à qui s'adresser (dans une phrase)",
                    ),
                ),
                ("address", models.TextField(blank=True, verbose_name="adresse postale")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-mail de contact")),
                ("phone", models.CharField(blank=True, max_length=30, verbose_name="téléphone")),
                ("website", models.URLField(blank=True, verbose_name="site")),
                ("logo", models.FileField(blank=True, upload_to="certifiers/", verbose_name="logo")),
                ("legal_mentions", models.TextField(blank=True, verbose_name="mentions légales (pied des documents)")),
                (
                    "legal_basis",
                    models.TextField(
                        help_text="ex. « décret n° 2002-615 du 26 avril 2002 »",
                        verbose_name="textes cités par la déclaration sur l'honneur",
                    ),
                ),
                (
                    "recevabilite_body",
                    models.CharField(
                        help_text="ex. « l'OEMM pour la CPNEFP Mutualité »",
                        max_length=200,
                        verbose_name="qui instruit la recevabilité (dans une phrase)",
                    ),
                ),
                (
                    "recevabilite_wording",
                    models.TextField(blank=True, verbose_name="mention de la notification de recevabilité"),
                ),
                (
                    "jury_label",
                    models.CharField(help_text="ex. « jury paritaire »", max_length=100, verbose_name="nom du jury"),
                ),
                ("jury_min_members", models.PositiveIntegerField(verbose_name="membres du jury au moins")),
                ("jury_max_members", models.PositiveIntegerField(verbose_name="membres du jury au plus")),
                (
                    "jury_colleges",
                    models.JSONField(
                        default=list,
                        help_text='Liste de {"college": "employeur" ou "salarie", "label": …, "plural": …, "min": n, "max": n}.',
                        verbose_name="collèges du jury",
                    ),
                ),
                (
                    "president_alternates",
                    models.BooleanField(default=True, verbose_name="la présidence alterne entre les collèges"),
                ),
                (
                    "signatories",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        help_text='ex. {"certificate": {"name": …, "title": …}}',
                        verbose_name="signataires par document",
                    ),
                ),
                ("dossier_transmission", models.TextField(blank=True, verbose_name="qui transmet le dossier au jury")),
                (
                    "reminder_sender_name",
                    models.CharField(blank=True, max_length=200, verbose_name="expéditeur des rappels"),
                ),
                (
                    "reminder_sender_email",
                    models.EmailField(blank=True, max_length=254, verbose_name="adresse d'expédition des rappels"),
                ),
            ],
            options={
                "verbose_name": "certificateur",
                "ordering": ["name"],
            },
        ),
        # The two certifiers (their full data come from fixtures/certifiers.yaml at the next load_referentiels),
        # then each CQP's code becomes a foreign key to its certifier.
        migrations.RunPython(create_certifiers, migrations.RunPython.noop),
        migrations.RenameField(model_name="certification", old_name="certifier", new_name="certifier_code"),
        migrations.RenameField(model_name="historicalcertification", old_name="certifier", new_name="certifier_code"),
        migrations.AddField(
            model_name="certification",
            name="certifier",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="certifications",
                to="referentiels.certifier",
                verbose_name="certificateur",
            ),
        ),
        migrations.AddField(
            model_name="historicalcertification",
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
        migrations.RunPython(link_certifications, unlink_certifications),
        migrations.RemoveField(model_name="certification", name="certifier_code"),
        migrations.RemoveField(model_name="historicalcertification", name="certifier_code"),
        migrations.AlterField(
            model_name="certification",
            name="certifier",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="certifications",
                to="referentiels.certifier",
                verbose_name="certificateur",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalCertifier",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("code", models.SlugField(max_length=30, verbose_name="code")),
                (
                    "name",
                    models.CharField(
                        help_text="ex. « CPNEFP Mutualité », « Ucanss »", max_length=100, verbose_name="nom"
                    ),
                ),
                (
                    "designation",
                    models.CharField(
                        help_text="ex. « la CPNEFP Mutualité », « l'Ucanss »",
                        max_length=120,
                        verbose_name="désignation dans une phrase",
                    ),
                ),
                ("long_name", models.CharField(blank=True, max_length=300, verbose_name="nom développé")),
                (
                    "operator",
                    models.CharField(
                        blank=True,
                        help_text="L'organisme qui mène les opérations pour lui (ex. OEMM).",
                        max_length=100,
                        verbose_name="opérateur",
                    ),
                ),
                (
                    "operator_long_name",
                    models.CharField(blank=True, max_length=300, verbose_name="nom développé de l'opérateur"),
                ),
                (
                    "contact_label",
                    models.CharField(
                        help_text="ex. « l'OEMM », « le service formation de l'Ucanss »",
                        max_length=200,
                        verbose_name="à qui s'adresser (dans une phrase)",
                    ),
                ),
                ("address", models.TextField(blank=True, verbose_name="adresse postale")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-mail de contact")),
                ("phone", models.CharField(blank=True, max_length=30, verbose_name="téléphone")),
                ("website", models.URLField(blank=True, verbose_name="site")),
                ("logo", models.TextField(blank=True, max_length=100, verbose_name="logo")),
                ("legal_mentions", models.TextField(blank=True, verbose_name="mentions légales (pied des documents)")),
                (
                    "legal_basis",
                    models.TextField(
                        help_text="ex. « décret n° 2002-615 du 26 avril 2002 »",
                        verbose_name="textes cités par la déclaration sur l'honneur",
                    ),
                ),
                (
                    "recevabilite_body",
                    models.CharField(
                        help_text="ex. « l'OEMM pour la CPNEFP Mutualité »",
                        max_length=200,
                        verbose_name="qui instruit la recevabilité (dans une phrase)",
                    ),
                ),
                (
                    "recevabilite_wording",
                    models.TextField(blank=True, verbose_name="mention de la notification de recevabilité"),
                ),
                (
                    "jury_label",
                    models.CharField(help_text="ex. « jury paritaire »", max_length=100, verbose_name="nom du jury"),
                ),
                ("jury_min_members", models.PositiveIntegerField(verbose_name="membres du jury au moins")),
                ("jury_max_members", models.PositiveIntegerField(verbose_name="membres du jury au plus")),
                (
                    "jury_colleges",
                    models.JSONField(
                        default=list,
                        help_text='Liste de {"college": "employeur" ou "salarie", "label": …, "plural": …, "min": n, "max": n}.',
                        verbose_name="collèges du jury",
                    ),
                ),
                (
                    "president_alternates",
                    models.BooleanField(default=True, verbose_name="la présidence alterne entre les collèges"),
                ),
                (
                    "signatories",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        help_text='ex. {"certificate": {"name": …, "title": …}}',
                        verbose_name="signataires par document",
                    ),
                ),
                ("dossier_transmission", models.TextField(blank=True, verbose_name="qui transmet le dossier au jury")),
                (
                    "reminder_sender_name",
                    models.CharField(blank=True, max_length=200, verbose_name="expéditeur des rappels"),
                ),
                (
                    "reminder_sender_email",
                    models.EmailField(blank=True, max_length=254, verbose_name="adresse d'expédition des rappels"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical certificateur",
                "verbose_name_plural": "historical certificateurs",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]
