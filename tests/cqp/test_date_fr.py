"""``|date_fr`` writes the usual « j F Y » directly (cqp/templatetags/french.py): the same text as Django's ``|date``
followed by the « 1er » of the first day."""

import datetime

from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation

from cqp.templatetags.french import date_fr, first_of_month

DAYS = [datetime.date(2028, 1, 1) + datetime.timedelta(days=n) for n in range(366)] + [datetime.date(987, 3, 1)]


def test_every_day_of_a_leap_year_is_written_as_django_writes_it():
    with translation.override("fr"):
        for day in DAYS:
            assert date_fr(day) == first_of_month(date_filter(day, "j F Y")), day


def test_datetimes_naive_or_aware_give_their_own_day():
    moment = datetime.datetime(2026, 3, 1, 23, 30)
    aware = timezone.make_aware(moment)
    with translation.override("fr"):
        assert date_fr(moment) == date_fr(aware) == first_of_month(date_filter(aware, "j F Y")) == "1er mars 2026"


def test_other_formats_go_through_django():
    with translation.override("fr"):
        assert date_fr(datetime.date(2026, 6, 1), "l j F Y") == "lundi 1er juin 2026"
        assert date_fr("", "j F Y") == date_fr(None) == ""


def test_an_aware_moment_in_utc_gives_the_local_day():
    """Called from Python too (not only through a template, which gives the filter the local time already)."""
    moment = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)  # 2 mars, 0 h 30 à Paris
    with translation.override("fr"), timezone.override("Europe/Paris"):
        assert date_fr(moment) == "2 mars 2026"
