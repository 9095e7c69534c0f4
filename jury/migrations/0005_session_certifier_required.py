import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jury", "0004_session_certifier"),
    ]

    operations = [
        migrations.AlterField(
            model_name="jurysession",
            name="certifier",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="jury_sessions",
                to="referentiels.certifier",
                verbose_name="certificateur",
            ),
        ),
    ]
