"""The recap before the candidate signs their part of the livret d'évaluation finale: per domaine, each question
answered or empty, the optional « Commentaire du candidat », links to the fields, and the signature only when
nothing required is empty."""

from candidates import workflow
from candidates.formation_file import build_file
from candidates.formation_recap import ACTIVITIES_TITLE, candidate_recap
from candidates.models import LivretEvaluation

from .formation_support import page, units_of, url


def _line(recap, title, label_start):
    section = next(s for s in recap.sections if s.title == title)
    return next(line for line in section.lines if line.label.startswith(label_start))


def test_recap_of_an_empty_part(designated):
    recap = candidate_recap(build_file(designated))
    units = units_of(designated)
    assert [s.title for s in recap.sections][0] == ACTIVITIES_TITLE
    assert len(recap.sections) == 1 + len(units)
    assert not recap.complete and recap.answered_count == 0
    assert recap.required_count == 1 + sum(len(u.final_questions) or 1 for u in units)
    assert all(line.status in ("vide", "vide (facultatif)") for s in recap.sections for line in s.lines)


def test_recap_counts_answers_per_domaine(designated, candidat):
    units = units_of(designated)
    first, second = units[0], units[1]
    workflow.save_candidate_part(
        designated,
        by=candidat,
        activities="Traitement de dossiers.",
        answers={
            first.pk: {"questions": ["Réponse"] * len(first.final_questions)},
            second.pk: {"questions": ["Réponse", ""]},
        },
    )
    recap = candidate_recap(build_file(designated))
    by_pk = dict(zip([None, *[u.pk for u in units]], recap.sections, strict=True))
    assert recap.sections[0].complete
    assert by_pk[first.pk].complete and by_pk[first.pk].answered_count == len(first.final_questions)
    assert not by_pk[second.pk].complete and by_pk[second.pk].answered_count == 1
    assert [line.status for line in by_pk[second.pk].lines[:2]] == ["répondu", "vide"]
    assert by_pk[second.pk].lines[1].anchor == f"id_answer_{second.pk}_1"
    commented = [u for u in units if u.final_candidate_comment]
    for u in commented:  # the « Commentaire du candidat » is optional: it never blocks the signature
        assert by_pk[u.pk].lines[-1].optional and by_pk[u.pk].lines[-1].status == "vide (facultatif)"
    assert not recap.complete


def test_a_free_answer_written_before_the_questions_covers_the_domaine(designated, candidat):
    unit = units_of(designated)[0]
    workflow.save_candidate_part(designated, by=candidat, activities="x", answers={unit.pk: {"text": "Ensemble"}})
    section = candidate_recap(build_file(designated)).sections[1]
    assert section.overall_answer and section.complete and section.answered_count == 0


def test_the_sign_page_lists_the_empty_answers_and_offers_no_signature(client, designated, candidat):
    unit = units_of(designated)[0]
    client.force_login(candidat)
    html = page(client.get(url("formation_candidate_sign", designated)))
    assert "Ce que vous signez" in html
    assert f"0 réponse sur {candidate_recap(build_file(designated)).required_count}" in html
    assert "à compléter" in html and "— <span" in html and ">vide</span>" in html
    assert f'href="{url("formation_candidate", designated)}#id_answer_{unit.pk}_0"' in html
    assert "encore possible." in html and 'name="confirm"' not in html  # no signature offered
    missing = 1 + sum(len(u.final_questions) or 1 for u in units_of(designated))
    assert f"{missing} réponses restent à écrire" in html


def test_the_sign_page_recaps_a_complete_part_then_signs(client, designated, candidat):
    units = units_of(designated)
    workflow.save_candidate_part(
        designated,
        by=candidat,
        activities="Traitement de dossiers.",
        answers={u.pk: {"questions": ["Ma réponse"] * len(u.final_questions)} for u in units},
    )
    client.force_login(candidat)
    recap = candidate_recap(build_file(designated))
    html = page(client.get(url("formation_candidate_sign", designated)))
    assert f"{recap.required_count} réponses sur {recap.required_count} attendues" in html
    assert "à compléter" not in html and html.count(">rempli</span>") == len(units) + 1
    if any(u.final_candidate_comment for u in units):
        assert "Commentaire du candidat</a> — <span" in html and "vide (facultatif)" in html
    assert 'name="confirm"' in html and "encore possible." not in html
    response = client.post(url("formation_candidate_sign", designated), {"confirm": "on"})
    assert response.status_code == 302
    assert LivretEvaluation.objects.get().candidate_signed_at is not None
