from django.db import models


class Delivery(models.TextChoices):
    """How a person receives their notifications by e-mail."""

    IMMEDIATE = "immediate", "Immédiatement, un e-mail par notification"
    DIGEST = "digest", "Dans un résumé quotidien"
