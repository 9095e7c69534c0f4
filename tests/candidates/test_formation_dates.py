"""Dates of what took place in the livrets of the voie formative (formative evaluations, tutor's reviews, the
assessment of a unit, the fiche de synthèse): not in the future, not before 1950 (issue 14)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from candidates.formation_forms import NOT_YET_HELD, TutorReviewForm, past_date

TODAY = datetime.date(2027, 2, 28)


@pytest.mark.parametrize(
    "value, message",
    [
        (TODAY, None),
        (TODAY - datetime.timedelta(days=1), None),
        (datetime.date(1950, 1, 1), None),
        (None, None),
        (TODAY + datetime.timedelta(days=1), NOT_YET_HELD),
        (datetime.date(2028, 2, 29), NOT_YET_HELD),
        (datetime.date(1949, 12, 31), "Date antérieure à 1950 : vérifiez l'année."),
    ],
)
def test_a_date_that_took_place(value, message):
    with time_machine.travel(datetime.datetime(2027, 2, 28, 12, tzinfo=datetime.UTC), tick=False):
        if message is None:
            past_date(value)
        else:
            with pytest.raises(ValidationError, match=message.split(" : ")[0]):
                past_date(value)


def test_a_review_dated_tomorrow_is_refused_at_the_field_and_keeps_what_was_typed():
    data = {"held_on": "2027-03-01", "with_whom": "Le candidat", "strengths": "Rigueur", "progress_objectives": ""}
    with time_machine.travel(datetime.datetime(2027, 2, 28, 12, tzinfo=datetime.UTC), tick=False):
        form = TutorReviewForm(data)
        assert not form.is_valid()
    assert form.errors["held_on"] == [NOT_YET_HELD]
    assert form["held_on"].value() == "2027-03-01" and form["strengths"].value() == "Rigueur"
