"""A forgotten password is reset by e-mail through Django's own views, on the app's pages."""

import re

import pytest

from partnership.models import Profile
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_password_is_reset_through_the_link_in_the_email(client, mailoutbox):
    make_user(Profile.Role.LIAISON_OFFICER, username="forgetful", email="forgetful@example.org")
    assert 'href="/accounts/password_reset/"' in client.get("/accounts/login/").content.decode()

    response = client.post("/accounts/password_reset/", {"email": "forgetful@example.org"})
    assert response["Location"] == "/accounts/password_reset/done/"
    (mail,) = mailoutbox
    assert mail.subject == "Partnership tracker: choose a new password"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.body).group(1)

    form = client.get(link, follow=True)
    assert "<h1>Choose a new password</h1>" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-long-secret-42", "new_password2": "a-new-long-secret-42"},
        follow=True,
    )
    assert "Your new password is set." in done.content.decode()
    signed_in = client.post(
        "/accounts/login/", {"username": "forgetful", "password": "a-new-long-secret-42"}
    )
    assert signed_in["Location"] == "/"


def test_an_unknown_address_reveals_nothing_and_sends_nothing(client, mailoutbox):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert mailoutbox == []
