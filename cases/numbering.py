from django.db import connection

from chainwork.models import Region


def next_number(region: Region, year: int) -> tuple[int, str]:
    """The next sequence and number for a region and year, e.g. 鄂〔2026〕第0123号.

    One atomic upsert: concurrent registrations each get their own number, and a number once given
    is never given again (a rolled-back registration leaves a gap rather than a reuse).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO cases_regionyearcounter (region_id, year, last) VALUES (%s, %s, 1)
            ON CONFLICT (region_id, year) DO UPDATE SET last = cases_regionyearcounter.last + 1
            RETURNING last
            """,
            [region.code, year],
        )
        (sequence,) = cursor.fetchone()
    return sequence, f"{region.abbr}〔{year}〕第{sequence:04d}号"
