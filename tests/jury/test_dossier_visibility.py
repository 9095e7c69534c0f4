"""The jury of a candidate's session reads the dossier; other jury members do not."""

from .conftest import at, planned_session, ready_dossier


def test_session_members_read_the_dossier_and_its_entretien(client, referentiels, oemm, members, outsider_member):
    with at(2026, 9, 1):
        dossier = ready_dossier("cos", by=oemm)
        planned_session(by=oemm, codes=["cos"], members=members, dossiers=[dossier])
        planned_session(by=oemm, codes=["cos"], members={"x": outsider_member})
    client.force_login(members["sal1"])
    assert client.get(dossier.get_absolute_url()).status_code == 200
    assert client.get(f"{dossier.get_absolute_url()}entretien/").status_code in (200, 302)
    client.force_login(outsider_member)
    assert client.get(dossier.get_absolute_url()).status_code == 404
    assert client.get(f"{dossier.get_absolute_url()}entretien/").status_code == 404
