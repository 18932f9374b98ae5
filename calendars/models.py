"""What a feed last said about each of its calendar objects, for RFC 5545 SEQUENCE, and the
version of a leader's own feed."""

from django.conf import settings
from django.db import models


class FeedObject(models.Model):
    """One VEVENT (master or RECURRENCE-ID override) as one feed last showed it.

    SEQUENCE must grow whenever DTSTART, DTEND, RRULE, EXDATE/RDATE, STATUS or LOCATION
    change (RFC 5545 3.8.7.4), and these differ per feed: a date moved to another room is an
    EXDATE in the first room's feed but an override in the group's. So each feed keeps a
    fingerprint of those properties per object and the SEQUENCE it last gave it: one more
    when the fingerprint changes, never below the booking engine's own counter, never down;
    an unchanged object keeps its SEQUENCE and so its bytes.
    """

    feed = models.CharField(max_length=64)  # FeedSpec.identity
    key = models.CharField(max_length=64, unique=True)  # hash of feed, UID, RECURRENCE-ID
    # The series whose VEVENT this is: rows of deleted series are pruned (services). Not a
    # foreign key, so that a feed's render never waits on a series row a writer holds. Null
    # for rows recorded before it existed until they are rendered again.
    series_id = models.PositiveBigIntegerField(null=True, db_index=True)
    fingerprint = models.CharField(max_length=40)
    sequence = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["feed"])]

    def __str__(self) -> str:
        return f"{self.feed}: {self.key[:12]} #{self.sequence}"


class LeaderFeedVersion(models.Model):
    """A counter per person, raised in the same transaction as a change of their leaderships
    or name: which series a leader's private feed shows. With the plan versions of the
    centers (bookings.PlanVersion) it is all the feed's data version reads."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.PositiveBigIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.version}"
