"""Secret feed addresses: strong, stored only as a hash, revocable, rotatable, expiring."""

import hashlib
import hmac
from datetime import timedelta
from unittest import mock

import pytest
from django.db import IntegrityError
from django.utils import timezone

from accounts.models import FeedToken
from accounts.tokens import (
    feed_token_create,
    feed_token_lookup,
    feed_token_purge_expired,
    feed_token_revoke,
    feed_token_rotate,
)


@pytest.mark.django_db
def test_token_is_long_random_and_only_its_hash_is_stored(make_user) -> None:
    user = make_user()
    row, token = feed_token_create(user=user, kind=FeedToken.Kind.LEADER)
    assert len(token) >= 43  # 32 bytes = 256 bits, URL-safe base64
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = FeedToken.objects.values().get(pk=row.pk)
    assert all(token not in str(value) for value in stored.values())
    assert feed_token_create(user=user, kind=FeedToken.Kind.LEADER)[1] != token


@pytest.mark.django_db
def test_lookup_compares_in_constant_time(make_user) -> None:
    row, token = feed_token_create(user=make_user(), kind=FeedToken.Kind.LEADER)
    with mock.patch("accounts.tokens.hmac.compare_digest", wraps=hmac.compare_digest) as spy:
        assert feed_token_lookup(token) == row
    spy.assert_called_once()


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["", "x", "a" * 43, "a" * 500])
def test_unknown_tokens_find_nothing(make_user, bad: str) -> None:
    feed_token_create(user=make_user(), kind=FeedToken.Kind.LEADER)
    assert feed_token_lookup(bad) is None


@pytest.mark.django_db
def test_rotation_keeps_nothing_of_the_old_token_working(make_user) -> None:
    row, old = feed_token_create(user=make_user(), kind=FeedToken.Kind.LEADER)
    new_row, new = feed_token_rotate(feed_token=row)
    assert feed_token_lookup(old) is None
    assert feed_token_lookup(new) == new_row
    row.refresh_from_db()
    assert row.revoked_at is not None


@pytest.mark.django_db
def test_a_new_token_replaces_the_live_one_of_the_same_feed(make_user, make_center) -> None:
    user, center = make_user(), make_center()
    _, leader = feed_token_create(user=user, kind=FeedToken.Kind.LEADER)
    _, staff = feed_token_create(user=user, kind=FeedToken.Kind.STAFF, center=center)
    _, leader2 = feed_token_create(user=user, kind=FeedToken.Kind.LEADER)
    assert feed_token_lookup(leader) is None
    assert feed_token_lookup(leader2) is not None
    assert feed_token_lookup(staff) is not None  # another feed, untouched


@pytest.mark.django_db
def test_revoked_expired_and_inactive_tokens_stop_working(make_user) -> None:
    user = make_user()
    row, token = feed_token_create(user=user, kind=FeedToken.Kind.LEADER)
    feed_token_revoke(feed_token=row)
    assert feed_token_lookup(token) is None

    soon = timezone.now() + timedelta(hours=1)
    _, expiring = feed_token_create(user=user, kind=FeedToken.Kind.LEADER, expires_at=soon)
    assert feed_token_lookup(expiring) is not None
    assert feed_token_lookup(expiring, now=soon) is None

    _, token = feed_token_create(user=user, kind=FeedToken.Kind.LEADER)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert feed_token_lookup(token) is None


@pytest.mark.django_db
def test_purge_deletes_revoked_and_expired_tokens_only(make_user) -> None:
    user = make_user()
    revoked, _ = feed_token_create(user=user, kind=FeedToken.Kind.LEADER)
    feed_token_revoke(feed_token=revoked)
    past = timezone.now() - timedelta(days=1)
    FeedToken.objects.create(user=user, kind="leader", token_hash="0" * 64, expires_at=past)
    live, _ = feed_token_create(user=make_user(), kind=FeedToken.Kind.LEADER)
    assert feed_token_purge_expired() == 2
    assert list(FeedToken.objects.all()) == [live]


@pytest.mark.django_db
def test_staff_tokens_need_a_center(make_user) -> None:
    with pytest.raises(ValueError):
        feed_token_create(user=make_user(), kind=FeedToken.Kind.STAFF)
    with pytest.raises(IntegrityError):
        FeedToken.objects.create(user=make_user(), kind="staff", token_hash="1" * 64)
