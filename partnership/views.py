from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from rest_framework.authtoken.models import Token

from partnership.services import rotate_api_token


@require_GET
def profile(request):
    token = Token.objects.filter(user=request.user).first()
    return render(request, "partnership/profile.html", {"token": token})


@require_POST
def rotate_token(request):
    rotate_api_token(user=request.user)
    messages.success(request, "A new API token was created; the old one no longer works.")
    return redirect("profile")
