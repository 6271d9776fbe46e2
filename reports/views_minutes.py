"""会议纪要: a 会商's minutes on A4 in 公文 layout, to print and as a .docx (logged like every export).
Whoever sees the 会商 may print it; its agenda and decisions are those the reader may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from meetings import selectors
from reports.docx import minutes_docx_response


def minutes_of(request, pk: int) -> dict:
    user = request.user
    consultation = get_object_or_404(selectors.consultation_detail(user), pk=pk)
    decisions = list(selectors.decision_list(user, consultation_id=pk).order_by("pk"))
    return {"consultation": consultation, "items": selectors.agenda_items(consultation, user),
            "decisions": decisions, "participants": list(consultation.participants.all()),
            "printed_at": timezone.now()}


@login_required
@require_GET
def minutes_print(request, pk: int):
    return render(request, "reports/minutes_print.html", minutes_of(request, pk))


@login_required
@require_GET
def minutes_docx(request, pk: int):
    return minutes_docx_response(request, minutes_of(request, pk))
