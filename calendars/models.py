"""What a feed last said about each of its calendar objects, for RFC 5545 SEQUENCE."""

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
    fingerprint = models.CharField(max_length=40)
    sequence = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["feed"])]

    def __str__(self) -> str:
        return f"{self.feed}: {self.key[:12]} #{self.sequence}"
