"""The conversation pages of an activity: the thread with its form, the fragment the activity
page shows, and editing one's comment. Thin: notifications.conversation writes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from activities import page_selectors
from activities.exceptions import ConflictError
from activities.models import Activity, ProgressUpdate
from notifications import conversation, selectors
from notifications.forms import CommentForm, EditCommentForm
from notifications.models import Comment
from partnership.forms import add_service_errors


def _updates(activity: Activity) -> list[ProgressUpdate]:
    return list(
        activity.updates.exclude(state=ProgressUpdate.State.DRAFT).order_by("-period_end", "-id")
    )


@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    activity = page_selectors.visible_activity_or_404(pk, request.user)
    if not conversation.may_take_part(request.user, activity):
        raise PermissionDenied(conversation.REFUSED)
    updates = _updates(activity)
    # "Discuss this update" on the approvals queue links here with ?update=<id>.
    about = request.GET.get("update", "")
    form = CommentForm(
        request.POST or None,
        updates=updates,
        initial={"update": int(about)} if about.isdigit() and len(about) < 19 else None,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            chosen = form.cleaned_data["update"]
            update = next((u for u in updates if u.pk == chosen), None)
            try:
                comment = conversation.post_comment(
                    actor=request.user,
                    activity=activity,
                    body=form.cleaned_data["body"],
                    update=update,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                return redirect(f"{reverse('conversation:thread', args=[pk])}#comment-{comment.pk}")
        else:
            status = 400
    return render(
        request,
        "notifications/thread.html",
        {
            "nav": "activities",
            "activity": activity,
            "comments": selectors.thread(activity_id=pk),
            "form": form,
        },
        status=status,
    )


@require_GET
def fragment(request: HttpRequest, pk: int) -> HttpResponse:
    activity = page_selectors.visible_activity_or_404(pk, request.user)
    if not conversation.may_take_part(request.user, activity):
        return render(request, "notifications/thread_refused.html", {"activity": activity})
    return render(
        request,
        "notifications/thread_fragment.html",
        {"activity": activity, "comments": selectors.thread(activity_id=pk)},
    )


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = Comment.objects.select_related("activity").filter(pk=comment_id).first()
    if comment is None:
        raise Http404("No such comment.")
    if comment.author_id != request.user.pk:
        raise PermissionDenied("Only its author edits a comment.")
    form = EditCommentForm(
        request.POST or None, initial={"body": comment.body, "version": comment.version}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                conversation.edit_comment(
                    actor=request.user,
                    comment=comment,
                    version=form.cleaned_data["version"],
                    body=form.cleaned_data["body"],
                )
            except ConflictError:
                messages.error(request, "Your comment was changed elsewhere; nothing was saved.")
                return redirect("conversation:edit", comment_id=comment.pk)
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                url = reverse("conversation:thread", args=[comment.activity_id])
                return redirect(f"{url}#comment-{comment.pk}")
        else:
            status = 400
    return render(
        request,
        "notifications/comment_edit.html",
        {"nav": "activities", "comment": comment, "activity": comment.activity, "form": form},
        status=status,
    )
