"""Beat tasks of the enterprises app."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="enterprises.recount_chains", acks_late=True, soft_time_limit=240, time_limit=270)
def recount_chains() -> int:
    """The 产业链图谱 index's kept figures (enterprises.chain_counts)."""
    from enterprises.chain_counts import recount

    return recount()
