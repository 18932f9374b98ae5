"""Admin: staff watch the outbox of their centers and can send failed e-mails again."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from centers.permissions import is_staff_somewhere

from .dispatch import outbox_resend
from .models import Message, OutboxMessage, Status
from .selectors import outbox_visible_to


def _may_see(request: HttpRequest) -> bool:
    user = request.user
    return user.is_active and user.is_staff and (user.is_superuser or is_staff_somewhere(user))


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "recipient_email",
        "subject_line",
        "status",
        "attempts",
        "sent_at",
        "error",
    ]
    list_filter = ["status", "kind", "language", "center"]
    search_fields = ["recipient_email", "recipient__username", "recipient__last_name", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient", "center"]
    actions = ["send_again"]
    # The outbox is a record of what was sent: nobody edits it by hand.
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def get_queryset(self, request: HttpRequest) -> QuerySet[OutboxMessage]:
        return outbox_visible_to(request.user)

    @admin.display(description=_("subject"))
    def subject_line(self, message: OutboxMessage) -> str:
        # The e-mail is rendered when it is first sent (see notifications.events).
        return message.subject or _("(written when it is sent)")

    @admin.display(description=_("last error"))
    def error(self, message: OutboxMessage) -> str:
        return Truncator(message.last_error).chars(80)

    @admin.action(description=_("Send failed e-mails again"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        ids = list(queryset.filter(status=Status.FAILED).values_list("pk", flat=True))
        count = outbox_resend(message_ids=ids)
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail will be sent again.",
                "%(count)d e-mails will be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _may_see(request)

    def has_view_permission(self, request: HttpRequest, obj: OutboxMessage | None = None) -> bool:
        return _may_see(request)

    def has_change_permission(self, request: HttpRequest, obj: OutboxMessage | None = None) -> bool:
        # Needed for the "send again" action; every field stays read-only.
        return _may_see(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: OutboxMessage | None = None) -> bool:
        return request.user.is_superuser


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "series", "sender", "short_body"]
    search_fields = ["body", "series__group__name", "sender__username"]
    list_select_related = ["series__group", "sender"]
    readonly_fields = ["sender", "series", "body", "created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Message]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        from centers.permissions import managed_centers

        return queryset.filter(series__group__center__in=managed_centers(request.user))

    @admin.display(description=_("message"))
    def short_body(self, message: Message) -> str:
        return Truncator(message.body).chars(80)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _may_see(request)

    def has_view_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return _may_see(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # written through message_send, which checks and e-mails
