"""The bell, the list, reading, and the choice of delivery: each person their own notifications only."""

import pytest
from django.urls import reverse

from cqp.enums import NotificationKind, Role
from notifications import notify
from notifications.enums import Delivery
from notifications.models import Notification, NotificationPreference, delivery_of

from ..factories import user_with_role


def tell(user, count, *, prefix="n"):
    for i in range(count):
        notify(
            NotificationKind.LIVRET1_RECEIVED,
            recipient_ids=[user.pk],
            key=f"{prefix}{i}",
            message=f"Livret 1 reçu {prefix}{i}",
            url=reverse("my_reminders"),
        )


def page(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("count", [1, 30])
def test_the_bell_counts_the_unread_in_one_query(client, oemm, count, django_assert_max_num_queries):
    tell(oemm, count)
    Notification.objects.filter(pk=Notification.objects.order_by("pk").first().pk).update(read_at="2026-11-02T10:00Z")
    client.force_login(oemm)
    with django_assert_max_num_queries(30) as queries:
        html = page(client.get(reverse("my_reminders")))
    counts = [q["sql"] for q in queries.captured_queries if "notifications_notification" in q["sql"]]
    assert len(counts) == 1  # the bell's COUNT, whatever the number of notifications
    if count - 1:
        assert f"Notifications : {count - 1} non lue" in html and f'text-bg-warning ms-1">{count - 1}</span>' in html
    else:
        assert "Notifications : aucune non lue" in html


def test_a_candidate_has_the_bell_for_their_own_notifications(client, candidat):
    client.force_login(candidat)
    assert "Notifications : aucune non lue" in page(client.get(reverse("my_reminders")))


def test_an_anonymous_visitor_has_no_bell(client):
    assert "Notifications :" not in page(client.get(reverse("legal_notice")))


def test_the_list_shows_unread_first_and_pages(client, oemm):
    tell(oemm, 25)
    read = Notification.objects.get(key="n24")  # the most recent, but read: after the unread ones
    read.read_at = read.created_at
    read.save()
    client.force_login(oemm)
    first = page(client.get(reverse("notifications:list")))
    assert "24 non lues" in first and "Page 1 sur 2" in first and "Livret 1 reçu n24" not in first
    second = page(client.get(reverse("notifications:list"), {"page": "2"}))
    assert "Livret 1 reçu n24" in second


def test_the_empty_list_says_so(client, oemm):
    client.force_login(oemm)
    assert "Aucune notification pour l'instant" in page(client.get(reverse("notifications:list")))


def test_opening_marks_read_and_goes_where_to_act(client, oemm):
    tell(oemm, 1)
    notification = Notification.objects.get()
    client.force_login(oemm)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("my_reminders")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_read_one_and_read_all(client, oemm):
    tell(oemm, 3)
    client.force_login(oemm)
    one = Notification.objects.get(key="n0")
    assert client.post(reverse("notifications:read", args=[one.pk])).status_code == 302
    assert Notification.objects.unread().count() == 2
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "2 notifications marquées comme lues." in page(response)
    assert Notification.objects.unread().count() == 0


def test_nobody_reads_or_opens_another_persons_notification(client, oemm):
    tell(oemm, 1)
    notification = Notification.objects.get()
    other = user_with_role(Role.OEMM)
    client.force_login(other)
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 404
    client.post(reverse("notifications:read_all"))
    assert "Livret 1 reçu" not in page(client.get(reverse("notifications:list")))
    notification.refresh_from_db()
    assert notification.read_at is None


def test_an_outside_link_is_never_followed(client, oemm):
    notify(NotificationKind.LIVRET1_RECEIVED, recipient_ids=[oemm.pk], key="x", message="x", url="https://ailleurs.fr/")
    client.force_login(oemm)
    response = client.get(reverse("notifications:open", args=[Notification.objects.get().pk]))
    assert response["Location"] == reverse("notifications:list")


@pytest.mark.parametrize(
    ("role", "default"), [(Role.OEMM, Delivery.DIGEST), (Role.JURY, Delivery.IMMEDIATE), (Role.ORGANISME, "immediate")]
)
def test_the_default_delivery_and_the_choice(client, db, role, default):
    user = user_with_role(role)
    assert delivery_of(user) == default
    client.force_login(user)
    form = page(client.get(reverse("notifications:preferences")))
    assert f'value="{default}" class="form-check-input" id' in form and "checked" in form
    other = Delivery.IMMEDIATE if default == Delivery.DIGEST else Delivery.DIGEST
    response = client.post(reverse("notifications:preferences"), {"delivery": other}, follow=True)
    assert "Votre choix est enregistré." in page(response)
    assert NotificationPreference.objects.get(user=user).delivery == other


def test_a_bad_choice_is_refused_in_french(client, oemm):
    client.force_login(oemm)
    response = client.post(reverse("notifications:preferences"), {"delivery": "jamais"})
    assert response.status_code == 200 and "Sélectionnez un choix valide" in page(response)
    assert not NotificationPreference.objects.exists()
