"""The entretien's full grid (issue 17): savoirs rated where the seed rates them (seed 001: « savoir-faire et
savoirs » per domaine), the six prerequisites of the Spécialiste prestations (seed 001 L1023-1068), and the
already loaded versions and validated entretiens kept as they were (data migrations)."""

import importlib
import io
from types import SimpleNamespace

import pytest
from django.apps import apps
from pypdf import PdfReader

from candidates import workflow
from candidates.entretien_rules import missing_items, missing_knowledge
from candidates.entretien_sheet import build_sheet
from candidates.models import Entretien, EntretienKnowledge, EntretienPrerequisite
from cqp.enums import Role
from referentiels.loader import content_hash, read_referentiel_file
from referentiels.models import Certification, Prerequisite

from ..autosave_support import post_as_page
from ..factories import OrganismeFactory, user_with_role
from .test_entretien_workflow import HTMX, cqp, entretien_data, page, url

SPSP_SIX = [
    "Traiter des informations liées à la gestion des contrats, aux cotisations et aux prestations santé ou prévoyance",
    "Traiter et exploiter des données croisées",
    "Rechercher et sélectionner les informations nécessaires au traitement d'un dossier (règlement prestations, ...)",
    "Utiliser différentes sources d'information et bases documentaires",
    "Détecter les erreurs dans les informations reçues et transmises",
    "Utiliser le système informatique en appliquant les règles",
]


# --- plain rules ------------------------------------------------------------------------------------


def _k(text, assessment=""):
    return SimpleNamespace(knowledge=SimpleNamespace(text=text), assessment=assessment)


def _block(knowledge=(), competences=(), orientation="vae"):
    return SimpleNamespace(
        label="Domaine 1 : Analyser", knowledge=list(knowledge), competences=list(competences), orientation=orientation
    )


@pytest.mark.parametrize(
    "knowledge, expected",
    [
        ([], []),
        ([_k("Droit", "partiellement")], []),
        ([_k("Droit")], ["l'appréciation du savoir « Droit » (Domaine 1 : Analyser)"]),
        (
            [_k("Droit"), _k("Fiscalité", "en_totalite"), _k("Réglementation")],
            [
                "l'appréciation du savoir « Droit » (Domaine 1 : Analyser)",
                "l'appréciation du savoir « Réglementation » (Domaine 1 : Analyser)",
            ],
        ),
    ],
)
def test_missing_knowledge(knowledge, expected):
    assert missing_knowledge(_block(knowledge)) == expected


@pytest.mark.parametrize(
    "answers, savoir_asked",
    [
        (["oui"], True),
        (["oui", "non"], False),  # a « Non » re-orients: neither the grid nor the orientation is asked (L1065-1068)
        (["non"], False),
    ],
)
def test_missing_items_asks_the_savoirs_unless_a_prerequisite_fails(answers, savoir_asked):
    prerequisites = [
        SimpleNamespace(answer=a, prerequisite=SimpleNamespace(text=f"P{i}")) for i, a in enumerate(answers)
    ]
    missing = missing_items(
        held_on="2026-11-23",
        interviewer_function="RH",
        organisation="Mutuelle",
        synthesis="Bilan",
        prerequisites=prerequisites,
        units=[_block([_k("Droit")])],
        modules=[],
    )
    assert ("l'appréciation du savoir « Droit » (Domaine 1 : Analyser)" in missing) is savoir_asked
    assert any("orientation" in line for line in missing) is False


# --- the grid of the pages, the PDF ------------------------------------------------------------------


@pytest.fixture
def staff(referentiels):
    organisme = OrganismeFactory()
    organisme.certifications.add(*Certification.objects.all())
    return user_with_role(Role.ORGANISME, organisme=organisme)


def spsp_dossier(candidate, staff):
    spsp = cqp("spsp")
    return workflow.register_vae(
        candidate=candidate,
        certification=spsp,
        organisme=staff.roles.get().organisme,
        mention=spsp.current_version.mentions.first(),
    )


def test_spsp_grid_rates_each_savoir_and_requires_it(client, candidat, staff):
    dossier = spsp_dossier(candidat, staff)
    units = build_sheet(dossier).units
    savoirs = [k for u in units for k in u.knowledge]
    assert len(savoirs) >= 4
    first, first_label = savoirs[0].knowledge, next(u.label for u in units if u.knowledge)
    client.force_login(staff)
    content = page(client.get(url("entretien_edit", dossier)))
    assert "Savoirs" in content and first.text in content
    assert f'name="savoir_{first.pk}" value="pas_du_tout"' in content
    data = entretien_data(dossier)
    del data[f"savoir_{first.pk}"]
    post_as_page(client, url("entretien_edit", dossier), data, headers=HTMX)
    entretien = Entretien.objects.get()
    missing = build_sheet(dossier, entretien).missing
    assert [line for line in missing if "savoir" in line] == [
        f"l'appréciation du savoir « {first.text} » ({first_label})"
    ]
    post_as_page(client, url("entretien_edit", dossier), {**data, f"savoir_{first.pk}": "en_totalite"}, headers=HTMX)
    assert build_sheet(dossier, entretien).missing == []
    assert EntretienKnowledge.objects.filter(entretien=entretien).count() == len(savoirs)
    assert EntretienKnowledge.objects.get(knowledge=first).assessment == "en_totalite"

    workflow.validate_as_interviewer(entretien, by=staff)
    content = page(client.get(url("entretien", dossier)))
    assert "Savoir-faire et savoirs" in content and first.text in content and "En totalité" in content
    response = client.get(url("entretien_pdf", dossier))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "Savoir Appréciation" in text and " ".join(first.text.split()[:6]) in text


def test_cmi_has_no_savoirs_list_so_none_is_asked(client, candidat, staff):
    cmi = cqp("cmi")
    dossier = workflow.register_vae(candidate=candidat, certification=cmi, organisme=staff.roles.get().organisme)
    assert not any(u.knowledge for u in build_sheet(dossier).units)
    client.force_login(staff)
    assert 'name="savoir_' not in page(client.get(url("entretien_edit", dossier)))


def test_an_entretien_that_did_not_rate_savoirs_stays_complete(client, candidat, staff):
    dossier = spsp_dossier(candidat, staff)
    client.force_login(staff)
    data = {k: v for k, v in entretien_data(dossier).items() if not k.startswith("savoir_")}
    post_as_page(client, url("entretien_edit", dossier), data, headers=HTMX)
    entretien = Entretien.objects.get()
    assert any("savoir" in line for line in build_sheet(dossier, entretien).missing)
    Entretien.objects.filter(pk=entretien.pk).update(knowledge_asked=False)
    entretien.refresh_from_db()
    sheet = build_sheet(dossier, entretien)
    assert sheet.missing == [] and not any(u.knowledge for u in sheet.units)


# --- the six prerequisites -----------------------------------------------------------------------------


def test_spsp_has_the_six_prerequisites_of_the_seed(referentiels):
    assert [p.text for p in cqp("spsp").current_version.prerequisites.all()] == SPSP_SIX


@pytest.mark.parametrize("index", range(6))
def test_each_prerequisite_answered_non_reorients(client, candidat, staff, index):
    dossier = spsp_dossier(candidat, staff)
    prerequisites = list(dossier.version.prerequisites.all())
    client.force_login(staff)
    content = page(client.get(url("entretien_edit", dossier)))
    assert all(f'name="prereq_{p.pk}" value="non"' in content for p in prerequisites)
    assert "l'accès à ce CQP n'est pas pertinent" in content
    data = entretien_data(dossier, orientation="", competences=False, synthesis="Réorientation.")
    data[f"prereq_{prerequisites[index].pk}"] = "non"
    post_as_page(client, url("entretien_edit", dossier), data, headers=HTMX)
    sheet = build_sheet(dossier, Entretien.objects.get())
    assert sheet.missing == [] and sheet.failed_prerequisites == [SPSP_SIX[index]]


# --- already loaded versions and validated entretiens (data migrations) -----------------------------------


def _migration(app, name):
    return importlib.import_module(f"{app}.migrations.{name}")


def test_loaded_version_gets_six_prerequisites_and_answers_without_a_new_version(candidat, staff):
    grid = _migration("referentiels", "0009_entretien_grid")
    knowledge = _migration("candidates", "0013_entretien_knowledge")
    dossier = spsp_dossier(candidat, staff)
    version = dossier.version
    # The version as loaded before: two prerequisites, the first holding four sub-items; the hash of before.
    version.prerequisites.all().delete()
    old_first = Prerequisite.objects.create(
        version=version, position=0, text=grid.SPSP_OLD_FIRST + "\n".join(f"- {t}" for t in SPSP_SIX[1:5])
    )
    old_last = Prerequisite.objects.create(version=version, position=1, text=SPSP_SIX[5])
    before, after = grid.HASHES["spsp"]
    type(version).objects.filter(pk=version.pk).update(content_hash=before, entretien_before_livret1=False)
    entretien = workflow.save_entretien(
        dossier,
        by=staff,
        data={
            "header": {"held_on": None},
            "prerequisites": {old_first.pk: "oui", old_last.pk: "oui"},
            "competences": {},
            "units": {},
            "modules": [],
            "periods": [],
        },
    )
    Entretien.objects.filter(pk=entretien.pk).update(interviewer_validated_at="2026-11-23T10:00:00Z")

    grid.give_loaded_versions_the_grid(apps, None)
    knowledge.keep_validated_entretiens_valid(apps, None)

    version.refresh_from_db()
    assert [p.text for p in version.prerequisites.order_by("position")] == SPSP_SIX
    assert version.prerequisites.get(position=0).pk == old_first.pk
    assert version.prerequisites.get(position=5).pk == old_last.pk
    assert version.entretien_before_livret1 is True and version.content_hash == after
    answers = EntretienPrerequisite.objects.filter(entretien=entretien)
    assert sorted(a.prerequisite.position for a in answers) == [0, 1, 2, 3, 4, 5]
    assert {a.answer for a in answers} == {"oui"}
    entretien.refresh_from_db()
    assert entretien.knowledge_asked is False
    # The file as it is now has the hash the migration gives: loading it again makes no new version.
    assert after == content_hash(read_referentiel_file(_fixture("specialiste_prestations.yaml")))


def _fixture(name):
    from django.conf import settings

    return settings.BASE_DIR / "fixtures" / "referentiels" / name
