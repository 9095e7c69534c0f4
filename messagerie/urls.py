from django.urls import path

from . import views

app_name = "messagerie"

urlpatterns = [
    path("<str:number>/", views.thread, name="thread"),
    path("<str:number>/<int:pk>/piece-jointe/", views.attachment, name="attachment"),
    path("<str:number>/<int:pk>/partager/", views.share, name="share"),
]
