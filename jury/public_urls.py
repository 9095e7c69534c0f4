"""Public pages of the jury app (no login): verification of a CQP certificate."""

from django.urls import path

from . import views

app_name = "verification"
urlpatterns = [
    path("<str:code>/", views.verify, name="verify"),
]
