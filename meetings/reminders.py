"""议定事项到期: an open decision whose deadline has come is reminded to its owner and to its 会商's
organiser, once per deadline (claimed like every reminder in chainwork.reminders, so a second sweep or
worker sends nothing)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cases.reminders import people
from chainwork.reminders import BATCH, Due, Kind, Sweep, unclaimed
from meetings.models import Decision
from meetings.services import decision_url, organiser_who, owner_who

DECISION_DUE = "decision_due"


def decision_due(sweep: Sweep) -> None:
    rows = (Decision.objects.filter(state=Decision.State.OPEN, due_date__lte=sweep.today)
            .filter(unclaimed(DECISION_DUE, due_on="due_date"))
            .select_related("consultation", "case").order_by("due_date", "pk")[:BATCH])

    def to_due(decision, batch: bool) -> Due:
        def title() -> str:
            values = {"meeting": decision.consultation.title, "owner": decision.owner_name,
                      "due": decision.due_date.isoformat()}
            if decision.due_date < sweep.today:
                return _("%(meeting)s议定事项（%(owner)s）已超过完成时限%(due)s") % values
            return _("%(meeting)s议定事项（%(owner)s）今日到期") % values

        return Due(kind=DECISION_DUE, due_on=decision.due_date, subject_id=decision.pk,
                   recipients=lambda: people(sweep).resolve(owner_who(decision) | organiser_who(decision.consultation)),
                   title=title, url=decision_url(decision))

    sweep.process(DECISION_DUE, rows, to_due)


KINDS = (Kind(DECISION_DUE, decision_due),)
