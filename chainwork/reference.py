"""Reference data from domain.md, loaded by a data migration and by `load_reference_data()`.

Loading is idempotent and never overwrites a row an administrator has edited: rows are matched by
their natural key and created only when missing. Tests call it again after tables were truncated.
"""

from __future__ import annotations

import datetime as dt

# code, name, English name, abbreviation, kind, credit-code division prefix
REGIONS = [
    ("11", "北京市", "Beijing", "京", "municipality", "11"),
    ("12", "天津市", "Tianjin", "津", "municipality", "12"),
    ("13", "河北省", "Hebei", "冀", "province", "13"),
    ("14", "山西省", "Shanxi", "晋", "province", "14"),
    ("15", "内蒙古自治区", "Inner Mongolia", "蒙", "autonomous", "15"),
    ("21", "辽宁省", "Liaoning", "辽", "province", "21"),
    ("22", "吉林省", "Jilin", "吉", "province", "22"),
    ("23", "黑龙江省", "Heilongjiang", "黑", "province", "23"),
    ("31", "上海市", "Shanghai", "沪", "municipality", "31"),
    ("32", "江苏省", "Jiangsu", "苏", "province", "32"),
    ("33", "浙江省", "Zhejiang", "浙", "province", "33"),
    ("34", "安徽省", "Anhui", "皖", "province", "34"),
    ("35", "福建省", "Fujian", "闽", "province", "35"),
    ("36", "江西省", "Jiangxi", "赣", "province", "36"),
    ("37", "山东省", "Shandong", "鲁", "province", "37"),
    ("41", "河南省", "Henan", "豫", "province", "41"),
    ("42", "湖北省", "Hubei", "鄂", "province", "42"),
    ("43", "湖南省", "Hunan", "湘", "province", "43"),
    ("44", "广东省", "Guangdong", "粤", "province", "44"),
    ("45", "广西壮族自治区", "Guangxi", "桂", "autonomous", "45"),
    ("46", "海南省", "Hainan", "琼", "province", "46"),
    ("50", "重庆市", "Chongqing", "渝", "municipality", "50"),
    ("51", "四川省", "Sichuan", "川", "province", "51"),
    ("52", "贵州省", "Guizhou", "黔", "province", "52"),
    ("53", "云南省", "Yunnan", "滇", "province", "53"),
    ("54", "西藏自治区", "Tibet (Xizang)", "藏", "autonomous", "54"),
    ("61", "陕西省", "Shaanxi", "陕", "province", "61"),
    ("62", "甘肃省", "Gansu", "甘", "province", "62"),
    ("63", "青海省", "Qinghai", "青", "province", "63"),
    ("64", "宁夏回族自治区", "Ningxia", "宁", "autonomous", "64"),
    ("65", "新疆维吾尔自治区", "Xinjiang", "新", "autonomous", "65"),
    # Internal code 66, not GB/T 2260: the XPCC reports like a province; its cities are 6590xx.
    ("66", "新疆生产建设兵团", "Xinjiang Production and Construction Corps", "兵团", "xpcc", "6590"),
]

# slug, name, short name, kind, what it handles, leads the work group
DEPARTMENTS = [
    ("miit", "工业和信息化部", "工信部", "department", "产业协调、防疫物资、产融合作", True),
    ("ndrc", "国家发展改革委", "发展改革委", "department", "能源、价格、综合协调", False),
    ("mof", "财政部", "财政部", "department", "财政支持、减费降费", False),
    ("mohrss", "人力资源社会保障部", "人社部", "department", "用工、社保减免、稳岗返还", False),
    ("mohurd", "住房城乡建设部", "住建部", "department", "住房公积金缓缴", False),
    ("mot", "交通运输部", "交通运输部", "department", "物流运输", False),
    ("mofcom", "商务部", "商务部", "department", "外贸、国际供应链", False),
    ("pbc", "中国人民银行", "人民银行", "department", "再贷款再贴现、融资", False),
    ("gacc", "海关总署", "海关总署", "department", "通关、进出口", False),
    ("sta", "国家税务总局", "税务总局", "department", "税费", False),
    ("samr", "国家市场监督管理总局", "市场监管总局", "department", "登记注册、产品标准", False),
    ("nfra", "国家金融监督管理总局", "金融监管总局", "department", "贷款延期、信贷（2020年为银保监会）", False),
    ("nhc", "国家卫生健康委", "卫生健康委", "department", "防疫物资及标准", False),
    ("sasac", "国务院国资委", "国资委", "department", "国有企业", False),
    ("moa", "农业农村部", "农业农村部", "department", "春耕备耕农资", False),
    ("nea", "国家能源局", "能源局", "department", "能源供应", False),
    ("miit-ops", "工业和信息化部运行监测协调局", "运行局", "bureau", "运行监测、产业链协调", False),
    ("miit-raw", "工业和信息化部原材料工业司", "原材料司", "bureau", "原材料", False),
    ("miit-equip1", "工业和信息化部装备工业一司", "装备一司", "bureau", "装备工业", False),
    ("miit-equip2", "工业和信息化部装备工业二司", "装备二司", "bureau", "装备工业", False),
    ("miit-consumer", "工业和信息化部消费品工业司", "消费品司", "bureau", "消费品、医药", False),
    ("miit-electronics", "工业和信息化部电子信息司", "电子司", "bureau", "电子信息", False),
    ("miit-sme", "工业和信息化部中小企业局", "中小企业局", "bureau", "中小企业、清欠", False),
    ("miit-policy", "工业和信息化部产业政策与法规司", "政法司", "bureau", "产业政策", False),
]

KEY_FIELDS = [
    ("epidemic", "防疫物资"),
    ("livelihood", "民生保障"),
    ("spring-farming", "春耕备耕"),
    ("intl-supply", "国际供应链产品"),
    ("labour-intensive", "劳动密集型产业"),
    # The automotive chain, which industry associations (中国汽车工业协会) follow across provinces.
    ("automotive", "汽车"),
]

# slug, name, usual departments, usually needs national coordination
CATEGORIES = [
    ("labour", "用工", ["mohrss"], False),
    ("funding", "资金", ["pbc", "nfra", "mof"], False),
    ("raw-materials", "原材料供应", ["miit-raw", "ndrc"], False),
    ("logistics", "物流运输", ["mot"], True),
    ("epidemic-supplies", "防疫物资", ["miit", "nhc"], True),
    ("supply-chain", "上下游配套", ["miit-ops"], False),
    ("energy", "能源供应", ["nea", "ndrc"], False),
    ("orders", "市场订单", ["mofcom", "miit-ops"], False),
    ("policy", "政策落实", ["ndrc", "miit-policy"], False),
    ("international", "国际供应链/出口", ["mofcom", "gacc"], True),
    ("border", "人员出入境", ["mofcom"], True),
    ("other", "其他", [], False),
]

# GB/T 4754-2017 sections
INDUSTRY_SECTIONS = [
    ("A", "农、林、牧、渔业", "01–05"),
    ("B", "采矿业", "06–12"),
    ("C", "制造业", "13–43"),
    ("D", "电力、热力、燃气及水生产和供应业", "44–46"),
    ("E", "建筑业", "47–50"),
    ("F", "批发和零售业", "51–52"),
    ("G", "交通运输、仓储和邮政业", "53–60"),
    ("H", "住宿和餐饮业", "61–62"),
    ("I", "信息传输、软件和信息技术服务业", "63–65"),
    ("J", "金融业", "66–69"),
    ("K", "房地产业", "70"),
    ("L", "租赁和商务服务业", "71–72"),
    ("M", "科学研究和技术服务业", "73–75"),
    ("N", "水利、环境和公共设施管理业", "76–79"),
    ("O", "居民服务、修理和其他服务业", "80–82"),
    ("P", "教育", "83"),
    ("Q", "卫生和社会工作", "84–85"),
    ("R", "文化、体育和娱乐业", "86–90"),
    ("S", "公共管理、社会保障和社会组织", "91–96"),
    ("T", "国际组织", "97"),
]

# 国务院办公厅 2025-11-04: (name, first day off, last day off, weekend days worked)
HOLIDAYS_2026 = [
    ("元旦", "2026-01-01", "2026-01-03", ["2026-01-04"]),
    ("春节", "2026-02-15", "2026-02-23", ["2026-02-14", "2026-02-28"]),
    ("清明节", "2026-04-04", "2026-04-06", []),
    ("劳动节", "2026-05-01", "2026-05-05", ["2026-05-09"]),
    ("端午节", "2026-06-19", "2026-06-21", []),
    ("中秋节", "2026-09-25", "2026-09-27", []),
    ("国庆节", "2026-10-01", "2026-10-07", ["2026-09-20", "2026-10-10"]),
]


def holiday_rows():
    for name, first, last, workdays in HOLIDAYS_2026:
        day = dt.date.fromisoformat(first)
        while day <= dt.date.fromisoformat(last):
            yield day, "off", name
            day += dt.timedelta(days=1)
        for workday in workdays:
            yield dt.date.fromisoformat(workday), "workday", name


def load_reference_data(apps=None) -> None:
    """Create missing reference rows. `apps` is the migration state's registry when migrating."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    get = apps.get_model
    Region = get("chainwork", "Region")
    Department = get("chainwork", "Department")
    KeyField = get("chainwork", "KeyField")
    Category = get("chainwork", "Category")
    IndustrySection = get("chainwork", "IndustrySection")
    Holiday = get("chainwork", "Holiday")

    for order, (code, name, name_en, abbr, kind, prefix) in enumerate(REGIONS):
        Region.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "abbr": abbr, "kind": kind,
                      "division_prefix": prefix, "order": order},
        )
    for order, (slug, name, short, kind, handles, leads) in enumerate(DEPARTMENTS):
        Department.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "short_name": short, "kind": kind, "handles": handles,
                      "leads_work_group": leads, "order": order},
        )
    for order, (slug, name) in enumerate(KEY_FIELDS):
        KeyField.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})
    for code, name, divisions in INDUSTRY_SECTIONS:
        IndustrySection.objects.get_or_create(code=code, defaults={"name": name, "divisions": divisions})
    departments = {d.slug: d for d in Department.objects.all()}
    for order, (slug, name, slugs, national) in enumerate(CATEGORIES):
        category, created = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "needs_national": national, "order": order}
        )
        if created:
            category.departments.set([departments[s] for s in slugs if s in departments])
    for day, kind, name in holiday_rows():
        Holiday.objects.get_or_create(date=day, defaults={"kind": kind, "name": name})
