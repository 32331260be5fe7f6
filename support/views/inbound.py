"""The inbound-email webhook (SUP-6): the mail provider posts each message received for a ticket
reply address as raw RFC 5322 bytes, signed with the shared secret:

    X-Hub-Timestamp: <unix seconds>
    X-Hub-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body)>

Requests older than five minutes or with a wrong signature are refused (401) before the body is
parsed. The endpoint does not exist (404) until `HUB_INBOUND_EMAIL_SECRET` is set."""

import hashlib
import hmac
import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..models import InboundEmail
from ..services import receive_inbound_email

MAX_CLOCK_SKEW = 300


def signature_for(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def _valid_signature(request, body: bytes) -> bool:
    timestamp = request.headers.get("X-Hub-Timestamp", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_CLOCK_SKEW:
        return False
    expected = signature_for(settings.HUB_INBOUND_EMAIL_SECRET, timestamp, body)
    return hmac.compare_digest(expected, request.headers.get("X-Hub-Signature", ""))


@csrf_exempt
@login_not_required
@require_POST
def inbound_email(request):
    if not settings.HUB_INBOUND_EMAIL_SECRET:
        raise Http404
    body = request.read(settings.HUB_INBOUND_EMAIL_MAX_BYTES + 1)
    if len(body) > settings.HUB_INBOUND_EMAIL_MAX_BYTES:
        return HttpResponse("message too large", status=413, content_type="text/plain")
    if not _valid_signature(request, body):
        return HttpResponse("invalid signature", status=401, content_type="text/plain")
    record = receive_inbound_email(raw=body, source=InboundEmail.Source.WEBHOOK)
    # 200 either way: a rejected message is final (retrying cannot change the answer).
    return JsonResponse({"status": record.status, "reason": record.reason})
