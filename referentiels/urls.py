from django.urls import path

from . import views

app_name = "referentiels"
urlpatterns = [
    path("", views.catalogue_view, name="catalogue"),
    path("<slug:code>/", views.detail_view, name="detail"),
    path("<slug:code>/version/<int:number>/", views.detail_view, name="version"),
]
