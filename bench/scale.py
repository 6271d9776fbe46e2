"""`seed_demo --scale small|w1`: national-scale data for `make bench`, loaded with COPY.

What w1 holds: 32 regions; 120,000 enterprises (4,000 leads with about 30 suppliers and
customers each, 15% of links across regions, 2% abroad; a tenth of the suppliers name two suppliers of
their own, so chains run several tiers deep); 1,200,000 daily status rows; 300,000
problems with 1,500,000 timeline events and 60,000 referrals; 20,000 liaison assignments and 500,000
contact records; 2,000 users. `small` is the same shape at a twentieth.

How it stays fast and reproducible: one `random.Random(seed)` draws everything (dates are relative to
today); names come from pools whose pinyin is computed once per part; one password hash for every
user; rows are streamed to COPY in chunks with ids chosen here, so relations need no round trips;
secondary indexes are dropped before the load and built after it; triggers (pghistory's audit, the
append-only guards, foreign-key checks) are off for the session with `session_replication_role`, and
the whole load is one transaction: it lands whole or not at all.

The state of the work is what a running system would hold: most problems closed, the open ones
recent, reminders for earlier due dates already sent (claimed), so the reminder sweep measured by the
bench finds what became due today.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone
from tqdm import tqdm

from cases import tally
from cases.models import Case, CaseEvent, CaseShare, CaseTally, Referral, RegionYearCounter
from chainwork.models import Category, Department, IndustrySection, KeyField, Region, Reminder, Role, User
from enterprises import chain_counts
from enterprises.credit_code import check_character, org_check_character
from enterprises.models import CountrySituation, Enterprise, IndustryChain, IndustryChainLead, StatusReport, SupplyLink
from enterprises.services import pinyin_keys
from liaison.models import ContactRecord, LiaisonAssignment
from policies.models import (
    Arrear,
    ArrearRepayment,
    FinancingNeed,
    PolicyReserve,
    ResponsePlan,
    ServiceMeasure,
    ServicePlan,
)
from reports import day_figures


@dataclass(frozen=True)
class Scale:
    name: str
    leads: int
    enterprises: int
    links_per_lead: int
    status_days: int
    problems: int
    events: int
    referrals: int
    assignments: int
    contacts: int
    users: int


SCALES = {
    "w1": Scale("w1", leads=4_000, enterprises=120_000, links_per_lead=30, status_days=10, problems=300_000,
                events=1_500_000, referrals=60_000, assignments=20_000, contacts=500_000, users=2_000),
    "small": Scale("small", leads=200, enterprises=6_000, links_per_lead=30, status_days=10, problems=15_000,
                   events=75_000, referrals=3_000, assignments=1_000, contacts=25_000, users=200),
}

CROSS_REGION_SHARE = 0.15
ABROAD_SHARE = 0.02
# Of the domestic suppliers, the share that records suppliers of its own, and how many each.
SUB_SUPPLIER_SHARE = 0.1
SUB_SUPPLIERS = 2

# Weights of the regions' industrial weight, roughly: the coastal provinces list the most enterprises.
REGION_WEIGHTS = {
    "11": 3, "12": 3, "13": 4, "14": 2, "15": 2, "21": 3, "22": 2, "23": 2, "31": 5, "32": 10, "33": 9,
    "34": 4, "35": 5, "36": 3, "37": 8, "41": 5, "42": 5, "43": 4, "44": 11, "45": 2, "46": 1, "50": 3,
    "51": 4, "52": 2, "53": 2, "54": 1, "61": 3, "62": 1, "63": 1, "64": 1, "65": 1, "66": 1,
}
BRAND_CHARS = "华中兴盛泰康鑫宏昌荣达信通恒瑞丰源和嘉利安德明光新科精工联创宇航天海江山金银正远博顺祥云峰启晨"
TRADES = [
    ("精密机械", "C"), ("汽车零部件", "C"), ("电子材料", "C"), ("光电科技", "C"), ("化工", "C"), ("纺织", "C"),
    ("医疗器械", "C"), ("钢铁", "C"), ("新能源", "C"), ("半导体", "C"), ("包装材料", "C"), ("食品", "C"),
    ("制药", "C"), ("橡胶制品", "C"), ("模具", "C"), ("电机", "C"), ("物流", "G"), ("供应链管理", "L"),
    ("电力设备", "D"), ("软件", "I"),
]
SUFFIXES = ["有限公司", "股份有限公司", "集团有限公司", "科技有限公司"]
COUNTRIES = [("日本", "Precision Industries Co., Ltd."), ("德国", "Maschinenbau GmbH"),
             ("韩国", "Electronics Co., Ltd."),
             ("美国", "Components Inc."), ("越南", "Manufacturing JSC"), ("马来西亚", "Technology Sdn. Bhd.")]
FOREIGN_STEMS = ["Nippon", "Rhein", "Hanil", "Pacific", "Saigon", "Penang", "Atlas", "Orion", "Delta", "Kyoto"]
PRODUCTS = ["芯片", "轴承", "线束", "钢材", "塑料粒子", "包装箱", "电机", "玻璃", "橡胶件", "铸件", "面料", "原料药",
            "物流运输", "锂电池", "传感器", "液晶面板", "模具", "化工原料"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚"
TITLES = {  # category slug → problem titles
    "labour": ["外省员工返岗困难", "一线工人缺口较大", "技术人员返岗受阻"],
    "funding": ["流动资金紧张", "贷款到期需展期", "应收账款回款慢"],
    "raw-materials": ["原材料供应不足", "关键原料价格上涨", "进口原料断供"],
    "logistics": ["跨省运输车辆通行受阻", "货运物流成本上升", "港口集疏运不畅"],
    "epidemic-supplies": ["防疫物资储备不足", "口罩消毒液采购困难"],
    "supply-chain": ["核心供应商停产", "配套企业未复工影响整机生产", "关键零部件断供"],
    "energy": ["用电负荷不足", "天然气供应紧张", "用能指标不足"],
    "orders": ["外贸订单取消", "订单交付延期面临违约", "国内订单下降"],
    "policy": ["稳岗补贴申领困难", "社保减免政策落实问题", "税费减免咨询"],
    "international": ["进口零部件清关延误", "国际货运航班不足", "出口认证咨询"],
    "border": ["口岸通关效率低", "边境运输受阻"],
    "other": ["仓储场地租金减免", "园区配套服务不足"],
}
CHANNELS = ["video", "conference", "wechat", "visit", "phone", "phone", "wechat"]
CLOSED, RESPONDED, CONFIRMED = "closed", "responded", "confirmed"
# Final states of the problems, by share; the open ones are recent, the closed ones spread over a year.
STATE_SHARES = [("closed", 0.50), ("local", 0.10), ("new", 0.05), ("pending_approval", 0.03), ("escalated", 0.03),
                ("returned", 0.01), ("accepted", 0.04), ("routed", 0.12), ("tracking", 0.04), ("responded", 0.05),
                ("confirmed", 0.03)]
MINISTRY_PATH = ["submit", "approve", "accept", "route", "respond", "confirm", "close"]
LOCAL_PATH = ["handle-locally", "respond", "confirm", "close"]
STATE_AFTER = {"submit": "pending_approval", "approve": "escalated", "accept": "accepted", "route": "routed",
               "respond": "responded", "confirm": "confirmed", "close": "closed", "handle-locally": "local",
               "return-for-info": "returned", "track": "tracking"}
PATH_TO = {  # final state → the actions that lead there
    "new": [], "local": ["handle-locally"], "pending_approval": ["submit"], "escalated": ["submit", "approve"],
    "returned": ["submit", "approve", "return-for-info"], "accepted": ["submit", "approve", "accept"],
    "routed": ["submit", "approve", "accept", "route"], "tracking": ["submit", "approve", "accept", "track"],
}


# --- COPY ----------------------------------------------------------------------------------------------

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    raise TypeError(f"cannot COPY {value!r}")


class Copier:
    """Streams rows of one model's table to COPY in chunks. Columns the caller leaves out take the
    field's constant default, '' for text, or NULL; a required column left out is an error here."""

    CHUNK = 20_000

    def __init__(self, cursor, model: type[models.Model], progress: tqdm | None = None, *, explicit_id=True):
        self.cursor, self.model, self.progress = cursor, model, progress
        self.table = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields if explicit_id or not f.primary_key]
        self.columns = [f.column for f in self.fields]
        self.defaults = {f.column: self._default(f) for f in self.fields}
        self.lines: list[str] = []
        self.count = 0

    @staticmethod
    def _default(field):
        if field.has_default():
            return field.get_default()
        if field.null:
            return None
        if isinstance(field, (models.CharField, models.TextField)):
            return ""
        return _REQUIRED

    def add(self, **values) -> None:
        row = []
        for column in self.columns:
            value = values.get(column, self.defaults[column])
            if value is _REQUIRED:
                raise ValueError(f"{self.table}.{column} is required")
            row.append(_text(value))
        self.lines.append("\t".join(row))
        if len(self.lines) >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.lines:
            return
        buffer = io.StringIO("\n".join(self.lines) + "\n")
        self.cursor.copy_expert(f'COPY "{self.table}" ({", ".join(self.columns)}) FROM STDIN', buffer)
        self.count += len(self.lines)
        if self.progress is not None:
            self.progress.update(len(self.lines))
        self.lines = []


_REQUIRED = object()


# --- the seeder ----------------------------------------------------------------------------------------

class ScaleSeeder:
    """Loads one scale of national data on top of the reference data and the demo users."""

    TABLES = [User, Enterprise, SupplyLink, StatusReport, LiaisonAssignment, ContactRecord, Case, CaseEvent,
              Referral, CaseShare, Reminder, FinancingNeed, Arrear, ArrearRepayment]

    def __init__(self, scale: Scale, seed: int = 2020, out: Callable[[str], None] = print, progress=True):
        # Made-up demo data, reproducible from the seed: no secret comes from this generator.
        self.scale, self.rng, self.out, self.seed = scale, random.Random(seed), out, seed  # noqa: S311
        self.show_progress = progress
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.regions = list(Region.objects.order_by("order", "code"))
        self.weights = [REGION_WEIGHTS.get(r.code, 1) for r in self.regions]
        self.departments = list(Department.objects.filter(is_active=True).order_by("order", "pk"))
        self.categories = list(Category.objects.filter(is_active=True).order_by("order", "pk"))
        self.key_fields = list(KeyField.objects.filter(is_active=True).values_list("pk", flat=True))
        self.industries = set(IndustrySection.objects.values_list("code", flat=True))
        self.pinyin_cache: dict[str, tuple[str, str]] = {}

    # -- helpers ---------------------------------------------------------------------------------------

    def _bar(self, total: int, label: str) -> tqdm:
        return tqdm(total=total, desc=label, unit="rows", unit_scale=True, leave=True,
                    disable=not self.show_progress, mininterval=1.0)

    def _next_id(self, model) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')  # noqa: S608 (a model's table)
            return cursor.fetchone()[0]

    def _pinyin(self, *parts: str) -> tuple[str, str]:
        full, initials = [], []
        for part in parts:
            if part not in self.pinyin_cache:
                self.pinyin_cache[part] = pinyin_keys(part)
            f, i = self.pinyin_cache[part]
            full.append(f)
            initials.append(i)
        return "".join(full)[:800], "".join(initials)[:200]

    def _moment(self, days_ago_max: float, days_ago_min: float = 0.0) -> dt.datetime:
        """A working-hours moment between the two ages, never in the future."""
        moment = self.now - dt.timedelta(days=self.rng.uniform(days_ago_min, days_ago_max))
        local = timezone.localtime(moment).replace(hour=self.rng.randint(8, 18), minute=self.rng.randint(0, 59))
        return min(local, self.now - dt.timedelta(minutes=1))

    def _person(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(["工", "科长", "处长", "主任", "经理"])

    # -- the load --------------------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        with transaction.atomic(), connection.cursor() as cursor:
            # Deferred checks of what this transaction wrote before (the demo users) run now: an index
            # cannot be dropped or built on a table with pending trigger events.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            dropped = self._drop_indexes(cursor)
            self.users(cursor, counts)
            self.enterprises(cursor, counts)
            self.liaison(cursor, counts)
            self.problems(cursor, counts)
            self.money(cursor, counts)
            self.plans(counts)
            self._rebuild(cursor, dropped)
            tally.rebuild()  # its triggers were off with the others
        # Statistics for the planner and, outside a transaction, the visibility map that lets counts
        # be answered from an index alone (a fresh COPY leaves every page unmarked).
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        tables = [m._meta.db_table for m in self.TABLES] + [
            Enterprise.key_fields.through._meta.db_table, Case.named_enterprises.through._meta.db_table,
            User.covered_regions.through._meta.db_table, CaseTally._meta.db_table]
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f'{command} "{table}"')
        # The 日报's days as beat would have kept them on a live system (a page never writes them).
        counts["day_figures"] = day_figures.keep_recent()
        counts["chain_counts"] = chain_counts.recount()
        return counts

    def _drop_indexes(self, cursor) -> list[str]:
        """Secondary indexes of the loaded tables (not those behind primary keys or unique constraints),
        dropped now and rebuilt from their definitions after the load."""
        tables = [m._meta.db_table for m in self.TABLES]
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """,
            [tables],
        )
        rows = cursor.fetchall()
        for name, _definition in rows:
            cursor.execute(f'DROP INDEX "{name}"')
        return [definition for _name, definition in rows]

    def _rebuild(self, cursor, definitions: list[str]) -> None:
        for definition in tqdm(definitions, desc="indexes", unit="idx", disable=not self.show_progress):
            cursor.execute(definition)
        for model in self.TABLES:
            table = model._meta.db_table
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608 (a model's table)
                           f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))')

    # -- users -----------------------------------------------------------------------------------------

    def users(self, cursor, counts) -> None:
        scale = self.scale
        password = make_password(settings.DEMO_PASSWORD)
        per_region = max(4, (scale.users * 93 // 100) // len(self.regions))
        leads_per_region = 2
        officials_per_region = max(1, per_region * 3 // 10)
        liaison_per_region = per_region - leads_per_region - officials_per_region
        national = scale.users - per_region * len(self.regions) - User.objects.count()
        ministry_liaison = max(2, national // 6)
        departments = len(self.departments) * 2
        ministry = max(1, national - ministry_liaison - departments)

        uid = self._next_id(User)
        copier = Copier(cursor, User, self._bar(scale.users, "users"))
        covered = Copier(cursor, User.covered_regions.through, explicit_id=False)
        self.officials: dict[str, list[int]] = defaultdict(list)
        self.leads_of: dict[str, list[int]] = defaultdict(list)
        self.liaisons: dict[str, list[int]] = defaultdict(list)
        self.ministry: list[int] = []
        self.department_users: dict[int, list[int]] = defaultdict(list)

        def add(username, role, *, region=None, department=None, staff=False, unit=""):
            nonlocal uid
            copier.add(id=uid, password=password, username=username, is_active=True, is_staff=staff,
                       is_superuser=False, date_joined=self.now, role=role, region_id=region,
                       department_id=department, display_name=self._person(), unit=unit,
                       email=f"{username}@example.gov.cn")
            uid += 1
            return uid - 1

        prefix = scale.name
        for region in self.regions:
            for i in range(officials_per_region):
                self.officials[region.code].append(
                    add(f"{prefix}-{region.code}-official-{i:02d}", Role.PROVINCE, region=region.code,
                        unit=region.name))
            for i in range(leads_per_region):
                self.leads_of[region.code].append(
                    add(f"{prefix}-{region.code}-lead-{i:02d}", Role.PROVINCE_LEAD, region=region.code,
                        unit=region.name))
            for i in range(liaison_per_region):
                self.liaisons[region.code].append(
                    add(f"{prefix}-{region.code}-liaison-{i:03d}", Role.LIAISON, region=region.code,
                        unit=region.name))
        for i in range(ministry):
            self.ministry.append(add(f"{prefix}-ministry-{i:03d}", Role.MINISTRY, staff=True, unit="部专班"))
        for i in range(ministry_liaison):
            user_id = add(f"{prefix}-ministry-liaison-{i:03d}", Role.MINISTRY_LIAISON, staff=True,
                          unit="部联络员工作组")
            for region in self.rng.sample(self.regions, 2):
                covered.add(user_id=user_id, region_id=region.code)
        for department in self.departments:
            for i in range(2):
                self.department_users[department.pk].append(
                    add(f"{prefix}-dept-{department.slug}-{i}", Role.DEPARTMENT, department=department.pk,
                        unit=department.name))
        copier.flush()
        covered.flush()
        copier.progress.close()
        counts["users"] = copier.count

    # -- enterprises, links and daily status --------------------------------------------------------------

    def _domestic_name(self, region: Region) -> tuple[str, str, str, str]:
        brand = "".join(self.rng.sample(BRAND_CHARS, 2))
        trade, industry = self.rng.choice(TRADES)
        suffix = self.rng.choice(SUFFIXES)
        place = region.name.removesuffix("省").removesuffix("市")[:3]
        name = f"{place}{brand}{trade}{suffix}"
        full, initials = self._pinyin(place, brand, trade, suffix)
        return name, full, initials, industry

    def _status_path(self) -> list[tuple[str, int | None, int, Decimal | None, Decimal]]:
        """Daily figures for the last `status_days` days, ending in this enterprise's present state."""
        staff_normal = self.rng.choice([80, 150, 300, 600, 1200, 3000])
        output_normal = Decimal(self.rng.choice([50, 120, 300, 800, 2000]))
        final = self.rng.random()
        if final < 0.04:
            end_rate = 0.0  # not resumed
        elif final < 0.2:
            end_rate = self.rng.uniform(0.45, 0.8)  # partly
        else:
            end_rate = self.rng.uniform(0.85, 1.05)
        start_rate = max(0.0, end_rate - self.rng.uniform(0.0, 0.4))
        days = self.scale.status_days
        path = []
        for day in range(days):
            rate = start_rate + (end_rate - start_rate) * (day / max(1, days - 1))
            if rate < 0.05:
                path.append(("no", 0, staff_normal, Decimal(0), output_normal))
                continue
            resumed = "yes" if rate >= 0.85 else "partly"
            staff = int(staff_normal * min(1.1, rate + self.rng.uniform(-0.03, 0.05)))
            output = (output_normal * Decimal(str(round(rate, 3)))).quantize(Decimal("0.01"))
            path.append((resumed, max(0, staff), staff_normal, output, output_normal))
        return path

    def enterprises(self, cursor, counts) -> None:
        scale, rng = self.scale, self.rng
        eid = self._next_id(Enterprise)
        link_id = self._next_id(SupplyLink)
        ent = Copier(cursor, Enterprise, self._bar(scale.enterprises, "enterprises"))
        links = Copier(cursor, SupplyLink, self._bar(scale.leads * scale.links_per_lead, "supply links"))
        status = Copier(cursor, StatusReport, self._bar(scale.enterprises * scale.status_days, "daily status"),
                        explicit_id=False)
        key_fields = Copier(cursor, Enterprise.key_fields.through, explicit_id=False)
        first_day = self.today - dt.timedelta(days=scale.status_days - 1)
        created = self.now - dt.timedelta(days=scale.status_days + 30)
        self.by_region: dict[str, list[int]] = defaultdict(list)  # enterprises listed by each region
        self.leads: list[tuple[int, str]] = []
        self.partners_of: dict[int, list[tuple[int, int]]] = defaultdict(list)  # lead → [(partner, link)]
        self.enterprise_region: dict[int, str] = {}
        partners_by_region: dict[str, list[int]] = defaultdict(list)

        def add_enterprise(list_region: Region, *, lead: bool, abroad: bool) -> int:
            nonlocal eid
            this = eid
            eid += 1
            if abroad:
                country, tail = rng.choice(COUNTRIES)
                name = f"{rng.choice(FOREIGN_STEMS)} {tail}"
                full, initials = self._pinyin(name)
                values = dict(country=country, region_id=None, credit_code=None, industry_id="C")
            else:
                name, full, initials, industry = self._domestic_name(list_region)
                division = (list_region.division_prefix + "0100")[:6]
                org8 = f"{50_000_000 + this:08d}"[-8:]
                body = "91" + division + org8 + org_check_character(org8)
                values = dict(region_id=list_region.code, credit_code=body + check_character(body),
                              industry_id=industry if industry in self.industries else None,
                              city=list_region.name)
            path = self._status_path()
            resumed, staff, staff_normal, output, output_normal = path[-1]
            for day, (r, s, sn, o, on) in enumerate(path):
                status.add(enterprise_id=this, date=first_day + dt.timedelta(days=day), resumed=r, staff_at_work=s,
                           staff_normal=sn, output=o, output_normal=on, capacity=on * Decimal("1.2"),
                           source="import", created_at=self.now, updated_at=self.now)
            # An enterprise abroad is on no region's list; the lead's region added it.
            ent.add(id=this, name=name, name_pinyin=full, name_initials=initials,
                    list_region_id=None if abroad else list_region.code,
                    added_by_region_id=list_region.code if abroad else None,
                    size=rng.choice(["large", "medium", "small", "micro"]) if not lead else "large",
                    is_lead=lead, address="", contact_name=self._person(), contact_phone=f"1{rng.randint(3, 9)}"
                    f"{rng.randint(100_000_000, 999_999_999)}", status=resumed, status_date=self.today,
                    staff_rate=(Decimal(staff) / staff_normal).quantize(Decimal("0.0001")),
                    output_rate=(output / output_normal).quantize(Decimal("0.0001")),
                    created_at=created, updated_at=created, **values)
            if lead and self.key_fields:
                key_fields.add(enterprise_id=this, keyfield_id=rng.choice(self.key_fields))
            if not abroad:
                self.by_region[list_region.code].append(this)
            self.enterprise_region[this] = list_region.code
            return this

        lead_regions = rng.choices(self.regions, weights=self.weights, k=scale.leads)
        for region in lead_regions:
            self.leads.append((add_enterprise(region, lead=True, abroad=False), region.code))
        partners_left = scale.enterprises - scale.leads
        links_total = scale.leads * scale.links_per_lead
        reuse_share = max(0.0, 1 - partners_left / links_total)
        regions_by_code = {r.code: r for r in self.regions}
        for index, (lead_id, code) in enumerate(self.leads):
            leads_left = scale.leads - index
            n_links = scale.links_per_lead
            taken: set[int] = set()
            for _ in range(n_links):
                if rng.random() < CROSS_REGION_SHARE:
                    partner_region = rng.choices(self.regions, weights=self.weights)[0]
                else:
                    partner_region = regions_by_code[code]
                pool = partners_by_region[partner_region.code]
                must_create = partners_left >= leads_left * n_links - len(taken)  # keep the total on target
                partner = None
                if pool and not must_create and (partners_left <= 0 or rng.random() < reuse_share):
                    partner = next((p for p in (rng.choice(pool) for _ in range(5)) if p not in taken), None)
                if partner is None and partners_left > 0:
                    abroad = rng.random() < ABROAD_SHARE
                    partner = add_enterprise(regions_by_code[code] if abroad else partner_region, lead=False,
                                             abroad=abroad)
                    partners_left -= 1
                    if not abroad:
                        pool.append(partner)
                elif partner is None:
                    continue
                taken.add(partner)
                upstream = rng.random() < 0.75
                links.add(id=link_id, lead_id=lead_id, partner_id=partner,
                          direction="upstream" if upstream else "downstream", product=rng.choice(PRODUCTS),
                          criticality=rng.choice(["core", "important", "important", "general"]),
                          single_source=upstream and rng.random() < 0.1, created_at=created)
                self.partners_of[lead_id].append((partner, link_id))
                link_id += 1
        while partners_left > 0:  # links reused more than drawn: the rest are listed without a link yet
            region = rng.choices(self.regions, weights=self.weights)[0]
            add_enterprise(region, lead=False, abroad=False)
            partners_left -= 1
        link_id = self._sub_suppliers(links, link_id, partners_by_region, created)
        # Every lead in one 重点产业链; every country of the foreign suppliers locked down, so that the
        # national chain page and a country's exposure are measured at scale.
        members = Copier(cursor, IndustryChainLead, explicit_id=False)
        chains = list(IndustryChain.objects.order_by("order").values_list("pk", flat=True))
        for lead_id, _code in self.leads:
            if chains:
                members.add(chain_id=rng.choice(chains), enterprise_id=lead_id, added_at=self.now)
        CountrySituation.objects.bulk_create([
            CountrySituation(country=country, kind="lockdown", severity="high", source="bench",
                             started_on=self.today - dt.timedelta(days=10)) for country, _tail in COUNTRIES])
        for copier in (ent, links, status, key_fields, members):
            copier.flush()
            if copier.progress is not None:
                copier.progress.close()
        counts.update(enterprises=ent.count, supply_links=links.count, status_reports=status.count)

    def _sub_suppliers(self, links, link_id: int, partners_by_region: dict[str, list[int]],
                       created: dt.datetime) -> int:
        """Suppliers' own suppliers, so that a 重点产业链 reaches past its first tier as the demo's does: a
        share of the domestic suppliers record SUB_SUPPLIERS upstream links of their own, mostly in their
        region, and so on up the tiers. Drawn with a generator of its own, so that every other row of
        the load stays what it was."""
        rng = random.Random(f"{self.seed}-tiers")  # noqa: S311
        pools = {code: ids for code, ids in partners_by_region.items() if ids}
        codes = list(pools)
        for code, ids in pools.items():
            for supplier in ids:
                if rng.random() >= SUB_SUPPLIER_SHARE:
                    continue
                taken = {supplier}
                for _ in range(SUB_SUPPLIERS):
                    pool = pools[code] if rng.random() >= CROSS_REGION_SHARE else pools[rng.choice(codes)]
                    partner = rng.choice(pool)
                    if partner in taken:
                        continue
                    taken.add(partner)
                    links.add(id=link_id, lead_id=supplier, partner_id=partner, direction="upstream",
                              product=rng.choice(PRODUCTS), criticality=rng.choice(["core", "important", "general"]),
                              single_source=rng.random() < 0.1, created_at=created)
                    link_id += 1
        return link_id

    # -- liaison -----------------------------------------------------------------------------------------

    def liaison(self, cursor, counts) -> None:
        scale, rng = self.scale, self.rng
        aid = self._next_id(LiaisonAssignment)
        assignments = Copier(cursor, LiaisonAssignment, self._bar(scale.assignments, "liaison assignments"))
        contacts = Copier(cursor, ContactRecord, self._bar(scale.contacts, "contact records"), explicit_id=False)
        claims = Copier(cursor, Reminder, explicit_id=False)
        per_assignment = scale.contacts // scale.assignments
        extra = scale.contacts - per_assignment * scale.assignments
        # Each region's officers look after the leads first, then the others, in proportion to its list.
        picked: list[tuple[int, str]] = []
        share = scale.assignments / max(1, sum(len(v) for v in self.by_region.values()))
        for code, ids in self.by_region.items():
            picked.extend((e, code) for e in ids[: max(1, round(len(ids) * share))])
        rng.shuffle(picked)
        picked = picked[: scale.assignments]
        while len(picked) < scale.assignments:  # rounding left a few short: take more from the largest lists
            code = max(self.by_region, key=lambda c: len(self.by_region[c]))
            candidates = [e for e in self.by_region[code] if (e, code) not in set(picked)]
            picked.append((candidates[0], code))
        self.assigned: dict[int, int] = {}  # enterprise → officer
        for n, (enterprise_id, code) in enumerate(picked):
            officer = rng.choice(self.liaisons[code])
            cadence = rng.choice([1, 3, 7, 7, 7, 14])
            started = self.today - dt.timedelta(days=rng.randint(120, 200))
            self.assigned[enterprise_id] = officer
            records = per_assignment + (1 if n < extra else 0)
            # Contacts spread from the start to today; the latest sets the next follow-up.
            span = (self.today - started).days
            days = sorted(rng.sample(range(1, span), min(records, span - 1)), reverse=True)
            last_due = last_at = None
            for days_ago in days[:records]:
                at = self._moment(days_ago, days_ago - 0.5)
                due = timezone.localtime(at).date() + dt.timedelta(days=cadence)
                channel = rng.choice(CHANNELS)
                contacts.add(enterprise_id=enterprise_id, officer_id=officer, assignment_id=aid, contacted_at=at,
                             channel=channel, participants=self._person(),
                             summary="了解企业复工复产进展，企业生产经营总体平稳。",
                             problems_raised="" if rng.random() < 0.8 else "反映原材料供应偏紧。",
                             next_follow_up=due, created_at=at, updated_at=at)
                last_due, last_at = due, at
            # The kept follow-up its triggers (off during the load) would have set.
            assignments.add(id=aid, enterprise_id=enterprise_id, officer_id=officer, cadence_days=cadence,
                            started_on=started, last_contact_at=last_at,
                            due_on=last_due or started + dt.timedelta(days=cadence))
            # Earlier due dates were reminded by earlier sweeps; what falls due today is left to the sweep.
            if last_due is not None and last_due < self.today:
                claims.add(kind="follow_up", due_on=last_due, subject_id=aid, notified=1, state="",
                           created_at=self.now)
            aid += 1
        for copier in (assignments, contacts, claims):
            copier.flush()
            if copier.progress is not None:
                copier.progress.close()
        counts.update(liaison_assignments=assignments.count, contact_records=contacts.count)

    # -- problems, their timelines and referrals ------------------------------------------------------------

    def _state_plan(self) -> Iterator[str]:
        states, shares = zip(*STATE_SHARES, strict=True)
        return iter(self.rng.choices(states, weights=shares, k=self.scale.problems))

    def problems(self, cursor, counts) -> None:
        scale, rng = self.scale, self.rng
        cid = self._next_id(Case)
        rid = self._next_id(Referral)
        cases = Copier(cursor, Case, self._bar(scale.problems, "problems"))
        events = Copier(cursor, CaseEvent, self._bar(scale.events, "timeline events"), explicit_id=False)
        referrals = Copier(cursor, Referral, self._bar(scale.referrals, "referrals"))
        shares = Copier(cursor, CaseShare, explicit_id=False)
        named = Copier(cursor, Case.named_enterprises.through, explicit_id=False)
        claims = Copier(cursor, Reminder, explicit_id=False)
        counters: dict[tuple[str, int], int] = {
            (c.region_id, c.year): c.last for c in RegionYearCounter.objects.all()}
        region_by_code = {r.code: r for r in self.regions}
        lead_list = self.leads
        departments = self.departments
        referral_budget = scale.referrals
        # Routed problems hold one pending referral each; of the ministry's answered problems, this share
        # went through a department too, so that the total comes to the scale's number of referrals.
        routed_share = dict(STATE_SHARES)["routed"]
        answered_share = dict(STATE_SHARES)[CLOSED] * 0.4 + (dict(STATE_SHARES)[RESPONDED]
                                                             + dict(STATE_SHARES)[CONFIRMED]) * 0.5
        route_chance = max(0.0, (scale.referrals / scale.problems - routed_share) / answered_share)
        events_left = scale.events
        today_start = timezone.make_aware(dt.datetime.combine(self.today, dt.time.min))

        for n, final in enumerate(self._state_plan()):
            problems_left = scale.problems - n
            lead_id, code = rng.choice(lead_list)
            region = region_by_code[code]
            officials = self.officials[code]
            reporter = rng.choice(officials)
            partners = self.partners_of.get(lead_id) or []
            partner = rng.choice(partners) if partners and rng.random() < 0.3 else None
            category = rng.choice(self.categories)
            urgency = rng.choices(["critical", "urgent", "normal"], weights=[1, 3, 6])[0]
            if final == CLOSED:
                created = self._moment(365, 5)
                via_ministry = rng.random() < 0.4
                path = MINISTRY_PATH if via_ministry else LOCAL_PATH
            elif final in (RESPONDED, CONFIRMED):
                created = self._moment(40, 2)
                via_ministry = rng.random() < 0.5
                full = MINISTRY_PATH if via_ministry else LOCAL_PATH
                path = full[: full.index("respond" if final == RESPONDED else "confirm") + 1]
            else:
                created = self._moment(45, 0.02)
                path = PATH_TO[final]
                via_ministry = "approve" in path
            if "route" in path and final != "routed" and (referral_budget <= 0 or rng.random() >= route_chance):
                path = [a for a in path if a != "route"]  # the 部专班 answered it without a department
            year = timezone.localtime(created).year
            sequence = counters.get((code, year), 0) + 1
            counters[(code, year)] = sequence
            title = rng.choice(TITLES.get(category.slug, TITLES["other"]))
            # The timeline: created, the transitions in order, comments to fill the average.
            steps = max(1, len(path))
            span = max(self.now - created, dt.timedelta(hours=1))
            moments = sorted(created + span * rng.uniform(0.02, 0.95) for _ in range(steps))
            state = "new"
            case = dict(
                id=cid, number=f"{region.abbr}〔{year}〕第{sequence:04d}号", region_id=code, year=year,
                sequence=sequence,
                enterprise_id=lead_id, supply_link_id=partner[1] if partner else None, category_id=category.pk,
                title=title, description=f"{title}，影响企业正常生产。", request=f"请协调解决{title}问题。",
                urgency=urgency, source=rng.choice(["contact", "hotline", "visit", "report"]), reporter_id=reporter,
                handler_id=reporter,
                level="ministry" if via_ministry else "local", created_at=created, updated_at=created,
                version=1, reopen_count=0, supervision="",
            )
            events.add(case_id=cid, kind="created", action="create", to_state="new", actor_id=reporter,
                       actor_region_id=code, created_at=created)
            written = 1
            lead_referral_pending = False
            for action, at in zip(path, moments, strict=False):
                actor, actor_region, data, note = reporter, code, {}, ""
                if action == "approve":
                    actor = rng.choice(self.leads_of[code])
                    data = {"signed_by": "省专班负责人"}
                    case.update(signed_by_id=actor, escalated_at=at, level="ministry")
                elif action in ("accept", "route", "return-for-info", "track") or (
                        action in ("respond", "close") and via_ministry):
                    actor, actor_region = rng.choice(self.ministry), None
                if action == "accept":
                    case["accepted_at"] = at
                elif action == "handle-locally":
                    case.update(local_unit=f"{region.name}经济和信息化厅", local_person=self._person(),
                                local_phone="027-85550000")
                elif action == "route":
                    department = rng.choice(departments)
                    due = (timezone.localtime(at) + dt.timedelta(days=rng.randint(2, 10))).date()
                    data = {"referrals": [{"department": department.slug, "name": department.name,
                                           "role": "lead", "due_date": due.isoformat()}]}
                    answered = final != "routed"
                    responder = rng.choice(self.department_users[department.pk])
                    answer_at = at + (moments[-1] - at) * 0.5 if answered else None
                    referrals.add(id=rid, case_id=cid, department_id=department.pk, role="lead", due_date=due,
                                  state="responded" if answered else "pending",
                                  response="已协调有关方面解决。" if answered else "",
                                  source="online" if answered else "", responded_at=answer_at,
                                  responded_by_id=responder if answered else None, on_behalf=False,
                                  routed_by_id=actor, created_at=at, version=2 if answered else 1, urged_count=0)
                    if answered:
                        events.add(case_id=cid, kind="referral", action="referral-respond", actor_id=responder,
                                   data={"referral": rid, "department": department.slug, "role": "lead",
                                         "source": "online", "all_answered": True,
                                         "department_name": department.name},
                                   note="已协调有关方面解决。", created_at=answer_at)
                        written += 1
                    elif due < self.today:  # an overdue referral was reminded on its due day
                        claims.add(kind="referral_overdue", due_on=due, subject_id=rid, state="", notified=3,
                                   created_at=self.now)
                    lead_referral_pending = not answered
                    referral_budget -= 1
                    rid += 1
                elif action == "respond":
                    case.update(response="已协调解决，企业恢复正常生产。", closure_type="solved", responded_at=at)
                    data = {"closure_type": "solved"}
                elif action == "confirm":
                    case.update(confirmed_by=f"企业 {self._person()}", confirmed_on=timezone.localtime(at).date(),
                                confirm_method="电话", satisfaction=rng.choice(
                                    ["satisfied", "satisfied", "basically_satisfied", "dissatisfied"]))
                    data = {"confirmed_by": case["confirmed_by"], "method": "电话",
                            "satisfaction": case["satisfaction"]}
                elif action == "close":
                    case["closed_at"] = at
                elif action == "track":
                    case["next_review"] = self.today + dt.timedelta(days=rng.randint(-2, 7))
                    data = {"next_review": case["next_review"].isoformat()}
                elif action == "return-for-info":
                    note = "请补充企业诉求的具体情况。"
                new_state = STATE_AFTER[action]
                events.add(case_id=cid, kind="transition", action=action, from_state=state, to_state=new_state,
                           actor_id=actor, actor_region_id=actor_region, data=data, note=note, created_at=at)
                if action == "submit":
                    case["previous_state"] = state
                state = new_state
                written += 1
                case["version"] += 1
                case["updated_at"] = at
            # Comments and chases fill the timeline to the scale's average.
            target = round(events_left / problems_left)
            for _ in range(max(0, target - written)):
                at = created + (self.now - created) * rng.uniform(0.05, 0.99)
                kind = "urge" if state != CLOSED and rng.random() < 0.3 else "comment"
                events.add(case_id=cid, kind=kind, action=kind, actor_id=rng.choice(officials), actor_region_id=code,
                           note="请加快办理进度。" if kind == "urge" else "已与企业沟通，持续跟进。", created_at=at)
                written += 1
            events_left -= written
            case["state"] = state
            if state != CLOSED:
                # Open work has a deadline in its state: a few overdue, most running.
                case["due_at"] = self.now + dt.timedelta(hours=rng.uniform(-96, 240))
                if rng.random() < 0.03:
                    case["supervision"] = "supervise"
                due_at = case["due_at"]
                if due_at < today_start:  # reminded on its due day by an earlier sweep
                    claims.add(kind="case_overdue", subject_id=cid, state=state,
                               due_on=timezone.localtime(due_at).date(), notified=2, created_at=self.now)
            if lead_referral_pending and via_ministry and rng.random() < 0.02:
                other = rng.choice([r for r in self.regions if r.code != code])
                shares.add(case_id=cid, region_id=other.code, note="请协调配套企业复工复产",
                           shared_by_id=self.ministry[0], created_at=case["updated_at"])
            if partner:
                named.add(case_id=cid, enterprise_id=partner[0])
            cases.add(**case)
            cid += 1
        for copier in (cases, events, referrals, shares, named, claims):
            copier.flush()
            if copier.progress is not None:
                copier.progress.close()
        for (code, year), last in counters.items():
            cursor.execute(
                "INSERT INTO cases_regionyearcounter (region_id, year, last) VALUES (%s, %s, %s) "
                "ON CONFLICT (region_id, year) DO UPDATE SET last = GREATEST(cases_regionyearcounter.last, "
                "EXCLUDED.last)", [code, year, last])
        counts.update(problems=cases.count, timeline_events=events.count, referrals=referrals.count)

    # -- 产融对接 and 清欠 -----------------------------------------------------------------------------

    def money(self, cursor, counts) -> None:
        """Financing needs (one for every 20 enterprises) of supporting enterprises, each serving one of its
        leads, in every state; arrears (one for every 40) owed to small and medium suppliers, a third repaid
        in one or two steps."""
        scale, rng = self.scale, self.rng
        suppliers = [(lead, partner, region)
                     for lead, partner, region, size in SupplyLink.objects.filter(partner__list_region__isnull=False)
                     .values_list("lead_id", "partner_id", "partner__list_region_id", "partner__size").order_by("pk")
                     if size != "large"]
        needs = Copier(cursor, FinancingNeed, self._bar(scale.enterprises // 20, "financing needs"), explicit_id=False)
        arrears = Copier(cursor, Arrear, self._bar(scale.enterprises // 40, "arrears"))
        repayments = Copier(cursor, ArrearRepayment, explicit_id=False)
        states, weights = zip(*NEED_STATES, strict=True)
        for _n in range(scale.enterprises // 20):
            lead, partner, region = rng.choice(suppliers)
            recorded = self._moment(60, 5)
            day = timezone.localtime(recorded).date()
            amount = Decimal(rng.choice([50, 80, 100, 150, 200, 300, 500, 800, 1000, 2000]))
            state = rng.choices(states, weights=weights)[0]
            row = {"enterprise_id": partner, "lead_id": lead, "amount_wan": amount, "state": state,
                   "purpose": rng.choice(NEED_PURPOSES), "urgency": rng.choice(["critical", "urgent", "normal"]),
                   "banks": "{" + ",".join(rng.sample(BANKS, rng.randint(1, 3))) + "}",
                   "recorded_by_id": rng.choice(self.officials[region]), "created_at": recorded,
                   "updated_at": recorded}
            if state != "pending":
                row["matched_on"] = day + dt.timedelta(days=2)
            if state in ("credited", "disbursed"):
                row["credited_on"] = day + dt.timedelta(days=rng.randint(3, 5))
                row["credit_wan"] = (amount * Decimal(rng.choice(["0.6", "0.8", "1"]))).quantize(Decimal("0.01"))
            if state == "disbursed":
                row["disbursed_on"] = min(self.today, day + dt.timedelta(days=rng.randint(5, 10)))
                row["disbursed_wan"] = row["credit_wan"]
            if state == "refused":
                row["refused_on"], row["refusal_reason"] = day + dt.timedelta(days=4), "缺少有效抵押物"
            if state in ("pending", "matched", "credited"):
                row["next_follow_up"] = self.today + dt.timedelta(days=rng.randint(-3, 7))
            needs.add(**row)
        aid = self._next_id(Arrear)
        for _n in range(scale.enterprises // 40):
            _lead, partner, region = rng.choice(suppliers)
            kind, debtor = rng.choice(DEBTORS)
            owed = Decimal(rng.choice([20, 35, 50, 80, 120, 200, 350, 600]))
            recorded = self._moment(90, 10)
            by = rng.choice(self.officials[region])
            paid: list[Decimal] = []
            roll = rng.random()
            if roll < 0.2:
                paid = [owed]
            elif roll < 0.35:
                paid = [(owed * Decimal("0.4")).quantize(Decimal("0.01")), owed - (owed * Decimal("0.4")).quantize(
                    Decimal("0.01"))]
            elif roll < 0.5:
                paid = [(owed * Decimal("0.5")).quantize(Decimal("0.01"))]
            repaid = sum(paid, Decimal("0"))
            state = "paid" if repaid == owed else "partly" if repaid else "disputed" if roll > 0.95 else "unpaid"
            arrears.add(id=aid, creditor_id=partner, debtor_name=debtor, debtor_kind=kind,
                        contract=f"合同{rng.randint(1000, 9999)}号", owed_wan=owed, repaid_wan=repaid, state=state,
                        dispute_reason="对验收结果有异议" if state == "disputed" else "", recorded_by_id=by,
                        created_at=recorded, updated_at=recorded)
            for k, amount in enumerate(paid):
                paid_on = timezone.localtime(recorded).date() + dt.timedelta(days=10 * (k + 1))
                repayments.add(arrear_id=aid, amount_wan=amount, recorded_by_id=by, created_at=recorded,
                               date=min(self.today, paid_on))
            aid += 1
        for copier in (needs, arrears, repayments):
            copier.flush()
            if copier.progress is not None:
                copier.progress.close()
        counts.update(financing_needs=needs.count, arrears=arrears.count, arrear_repayments=repayments.count)


    # -- 应对预案, 政策储备 and 一企一策 ---------------------------------------------------------------------

    def plans(self, counts) -> None:
        """A 应对预案 per 重点产业链 answering every country situation and one per 50 leads; three 政策储备
        per chain in turn through their states; a 一企一策 for one lead in 20, with three measures each, one
        of them overdue. Few rows: written through the ORM."""
        rng, today = self.rng, self.today
        situations = list(CountrySituation.objects.values_list("pk", flat=True))
        chains = list(IndustryChain.objects.order_by("order").values_list("pk", "name"))
        plan_states = [ResponsePlan.State.DRAFT, ResponsePlan.State.IN_FORCE, ResponsePlan.State.ACTIVATED]
        plans = [ResponsePlan(title=f"{name}国外断供应对预案", chain_id=pk, stock_days=rng.randint(7, 45),
                              actions="启用国内替代供应商\n协调增加库存\n开辟国际物流绿色通道",
                              owner_unit="部专班", state=rng.choice(plan_states), in_force_on=today,
                              recorded_by_id=rng.choice(self.ministry)) for pk, name in chains]
        leads = self.leads[::50]
        plans += [ResponsePlan(title="关键零部件断供应对预案", lead_id=lead, stock_days=rng.randint(7, 30),
                               actions="启用国内替代供应商\n调整生产计划", owner_unit="企业所在地工信部门",
                               state=rng.choice(plan_states), in_force_on=today,
                               recorded_by_id=rng.choice(self.officials[region])) for lead, region in leads]
        ResponsePlan.objects.bulk_create(plans)
        ResponsePlan.situations.through.objects.bulk_create([
            ResponsePlan.situations.through(responseplan_id=plan.pk, countrysituation_id=situation)
            for plan in plans for situation in situations])
        reserve_states = [PolicyReserve.State.STUDYING, PolicyReserve.State.SUBMITTED, PolicyReserve.State.SHELVED]
        reserves = PolicyReserve.objects.bulk_create([
            PolicyReserve(title=f"{name}稳链政策建议{i + 1}", summary="对受国外疫情影响的关键环节给予阶段性支持",
                          proposing_unit="部专班", state=reserve_states[i],
                          submitted_on=today if i == 1 else None,
                          shelved_reason="已有政策覆盖" if i == 2 else "", recorded_by_id=rng.choice(self.ministry))
            for pk, name in chains for i in range(3)])
        PolicyReserve.chains.through.objects.bulk_create([
            PolicyReserve.chains.through(policyreserve_id=reserve.pk, industrychain_id=chains[n // 3][0])
            for n, reserve in enumerate(reserves)])
        service_plans = ServicePlan.objects.bulk_create([
            ServicePlan(lead_id=lead, goal="保障满负荷生产", contact_unit="省工信厅",
                        recorded_by_id=rng.choice(self.officials[region])) for lead, region in self.leads[::20]])
        ServiceMeasure.objects.bulk_create([
            ServiceMeasure(plan=plan, text=text, responsible_unit=unit, order=k,
                           deadline=today + dt.timedelta(days=offset), state=state,
                           done_on=today if state == ServiceMeasure.State.DONE else None)
            for plan in service_plans
            for k, (text, unit, offset, state) in enumerate([
                ("协调物流运输通道", "省交通运输厅", -10, ServiceMeasure.State.DONE),
                ("帮助招用一线员工", "省人力资源社会保障厅", -rng.randint(1, 5), ServiceMeasure.State.IN_PROGRESS),
                ("对接流动资金贷款", "人民银行省分行", rng.randint(3, 20), ServiceMeasure.State.PLANNED)])])
        counts.update(response_plans=len(plans), policy_reserves=len(reserves), service_plans=len(service_plans))


# --- 产融对接 and 清欠 -----------------------------------------------------------------------------------

BANKS = ["中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "交通银行", "国家开发银行", "中国进出口银行",
         "招商银行", "兴业银行", "中国邮政储蓄银行", "城市商业银行", "农村商业银行"]
NEED_PURPOSES = ["working_capital", "working_capital", "materials", "equipment", "payroll", "other"]
# The share of needs per state: most moved on since they were recorded, a few waiting or refused.
NEED_STATES = [("pending", 10), ("matched", 15), ("credited", 20), ("disbursed", 45), ("refused", 10)]
DEBTORS = [("government", "某区住房和城乡建设局"), ("government", "某市政工程管理处"),
           ("state_owned", "某城市建设投资集团有限公司"), ("state_owned", "某国有能源有限公司"),
           ("large", "某汽车集团股份有限公司"), ("large", "某电器股份有限公司"), ("other", "某商贸有限公司")]


def already_loaded(scale: Scale) -> bool:
    return User.objects.filter(username__startswith=f"{scale.name}-").exists()
