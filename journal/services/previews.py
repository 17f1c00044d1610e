"""Previews: who may see an article before readers do, and the signed links that show one.

A shareable link is a `PreviewLink` row and a token signed with the site's
secret key. The token names the row and its article and is stamped with the
row's creation time: it cannot be forged or pointed at another article, and no
token works more than `PreviewLink.MAX_DAYS` after its link was made, whatever
the row says. The row decides the rest: when the link expires, and whether it
was withdrawn.
"""

import datetime
import uuid

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from journal.models import Article, PreviewLink

SALT = "journal.preview"


class InvalidPreviewToken(Exception):
    """A token this site did not sign: answered as any missing page is."""


class PreviewLinkGone(Exception):
    """A token this site signed, for a link that has expired or been withdrawn."""


def can_preview(user) -> bool:
    """Whether `user` may see any article, in any state, as readers will.

    The same people who may open articles in the admin: staff with the view
    or the change permission.
    """
    return (
        user.is_active
        and user.is_staff
        and (user.has_perm("journal.view_article") or user.has_perm("journal.change_article"))
    )


class _CreationTimeSigner(signing.TimestampSigner):
    """Stamps a token with its link's creation time rather than the time of signing.

    So a link has one address however often it is shown, and the signature's
    age is the link's age.
    """

    def __init__(self, *, created_at: datetime.datetime):
        super().__init__(salt=SALT)
        self.created_at = created_at

    def timestamp(self):
        return signing.b62_encode(int(self.created_at.timestamp()))


def preview_token(link: PreviewLink) -> str:
    """The signed token for `link`, for its shareable address."""
    signer = _CreationTimeSigner(created_at=link.created_at)
    return signer.sign_object({"link": link.token_id.hex, "article": link.article_id})


def preview_link_for_token(token: str) -> PreviewLink:
    """The working link `token` was made for.

    Raises InvalidPreviewToken for anything this site did not sign (a typo, a
    tampered token, a token signed for another purpose), and PreviewLinkGone
    for a genuine token whose link has expired, been withdrawn or deleted.
    """
    try:
        payload = signing.TimestampSigner(salt=SALT).unsign_object(
            token, max_age=datetime.timedelta(days=PreviewLink.MAX_DAYS)
        )
    except signing.SignatureExpired as error:
        raise PreviewLinkGone from error
    except (signing.BadSignature, ValueError) as error:
        # ValueError: a value signed with our key and salt but without a
        # timestamp, which TimestampSigner does not expect.
        raise InvalidPreviewToken from error
    try:
        token_id = uuid.UUID(hex=payload["link"])
        article_id = int(payload["article"])
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise InvalidPreviewToken from error
    link = PreviewLink.objects.filter(token_id=token_id, article_id=article_id).first()
    if link is None or not link.is_active:
        raise PreviewLinkGone
    return link


def preview_link_create(
    *, article: Article, user, days: int = PreviewLink.DEFAULT_DAYS
) -> PreviewLink:
    """A new shareable preview of `article`, made by `user`, working for `days` days."""
    if not 1 <= days <= PreviewLink.MAX_DAYS:
        raise ValidationError(
            _("A preview link works for 1 to %(days)d days.") % {"days": PreviewLink.MAX_DAYS}
        )
    now = timezone.now()
    link = PreviewLink(
        article=article,
        created_by=user,
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    link.full_clean()
    link.save()
    return link


def preview_link_revoke(*, link: PreviewLink) -> PreviewLink:
    """Withdraw `link`: it stops working at once. A second withdrawal keeps the first time."""
    PreviewLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    link.refresh_from_db(fields=["revoked_at"])
    return link
