"""The thread of a dossier: read (and mark read), write, download an attachment, share a message with the jury."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cqp.exceptions import WorkflowError

from . import services
from .access import JURY, STAFF, author_label, get_thread_for, messages_for
from .forms import MessageForm


@login_required
def thread(request, number):
    dossier, role = get_thread_for(request.user, number)
    form = MessageForm()
    if request.method == "POST":
        if role == JURY:
            raise PermissionDenied("Le jury lit les messages partagés sans y répondre.")
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.post_message(
                    dossier, by=request.user, body=form.cleaned_data["body"], checked=form.cleaned_data.get("checked")
                )
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                flash.success(request, "Message envoyé.")
                return redirect("messagerie:thread", number=dossier.number)
    thread_messages = list(messages_for(request.user, dossier, role))
    unread = {m.pk for m in thread_messages if m.author_id != request.user.pk} - {
        m.pk for m in thread_messages for r in m.reads.all() if r.reader_id == request.user.pk
    }
    services.mark_read([m for m in thread_messages if m.pk in unread], request.user)
    labels = {}
    for m in thread_messages:
        if m.author_id not in labels:
            labels[m.author_id] = author_label(m.author, dossier)
        m.author_label = labels[m.author_id]
    return render(
        request,
        "messagerie/thread.html",
        {
            "dossier": dossier,
            "thread_messages": thread_messages,
            "unread_ids": unread,
            "form": form,
            "can_write": role != JURY,
            "can_share": role == STAFF and services.jury_session_of(dossier) is not None,
            "is_jury": role == JURY,
        },
        status=400 if form.errors else 200,
    )


def _message(request, number, pk):
    dossier, role = get_thread_for(request.user, number)
    message = messages_for(request.user, dossier, role).filter(pk=pk).first()
    if message is None:
        raise Http404("Message introuvable.")
    return message, role


@login_required
def attachment(request, number, pk):
    message, _ = _message(request, number, pk)
    if not message.file:
        raise Http404("Pièce jointe introuvable.")
    response = FileResponse(
        message.file.open("rb"), as_attachment=True, filename=message.original_name, content_type=message.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def share(request, number, pk):
    message, role = _message(request, number, pk)
    if role != STAFF:
        raise PermissionDenied("Seule l'OEMM partage un message avec le jury.")
    try:
        services.share_with_jury(message, by=request.user)
    except WorkflowError as exc:
        flash.error(request, str(exc))
    else:
        flash.success(request, "Message partagé avec le jury de la session du dossier.")
    return redirect("messagerie:thread", number=number)
