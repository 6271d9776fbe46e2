"""How to build each URL from the world: name -> [(variant, method, url builder)]."""

from django.urls import reverse


def r(name, *args, **kwargs):
    return lambda w: reverse(name, args=[a(w) if callable(a) else a for a in args], kwargs=kwargs or None)


def pk(key):
    return lambda w: w[key].pk


def tok(key):
    return lambda w: w[key].token


G, P = "get", "post"
HUBEI_LEAD, GD_SUPPLIER, GD_LEAD = pk("lead"), pk("guangdong_supplier"), pk("guangdong_lead")
ENTERPRISE_VARIANTS = [("hubei_lead", HUBEI_LEAD), ("gd_supplier", GD_SUPPLIER), ("gd_lead", GD_LEAD)]
CASE_VARIANTS = [("hubei_case", pk("hubei_case")), ("gd_case", pk("guangdong_case"))]


def per_enterprise(name, method=G, suffix_args=()):
    return [(v, method, r(name, e, *suffix_args)) for v, e in ENTERPRISE_VARIANTS]


def per_case(name, method=G, extra=()):
    return [(v, method, r(name, c, *extra)) for v, c in CASE_VARIANTS]


def simple(name, method=G, *args):
    return [("", method, r(name, *args))]


CASE_API_ACTIONS = ["accept", "approve", "close", "close-duplicate", "comment", "confirm", "flag", "handle-locally",
                    "instruct", "link", "reopen", "respond", "return-for-info", "return-local", "route", "send-back",
                    "share", "share-reply", "submit", "supervise", "supplement", "track", "urge", "withdraw", "extend"]
EXTENSION_VARIANTS = [("referral", pk("referral_extension")), ("local", pk("local_extension"))]


MEETING_VARIANTS = [("national", pk("meeting")), ("guangdong", pk("gd_meeting"))]


def per_meeting(name, method=G):
    return [(v, method, r(name, m)) for v, m in MEETING_VARIANTS]


def per_extension(name, method=P):
    return [(v, method, r(name, e)) for v, e in EXTENSION_VARIANTS]


URLS = {
    "home": simple("home"),
    "healthz": simple("healthz"),
    "login": simple("login"),
    "logout": simple("logout", P),
    "password_change": simple("password_change"),
    "password_change_done": simple("password_change_done"),
    "set_language": [("", P, lambda w: reverse("set_language"))],
    # enterprises
    "enterprises-list": simple("enterprises-list"),
    "enterprises-covered": simple("enterprises-covered"),
    "enterprises-export": simple("enterprises-export"),
    "enterprises-create": simple("enterprises-create"),
    "enterprises-status-grid": simple("enterprises-status-grid"),
    "enterprises-detail": per_enterprise("enterprises-detail"),
    "enterprises-edit": per_enterprise("enterprises-edit"),
    "enterprises-status": per_enterprise("enterprises-status"),
    "enterprises-link-create": per_enterprise("enterprises-link-create"),
    "enterprises-link-delete": simple("enterprises-link-delete", P, pk("gd_link")),
    "enterprises-import": simple("enterprises-import"),
    "enterprises-import-confirm": simple("enterprises-import-confirm", P),
    "enterprises-import-template": simple("enterprises-import-template", G, "enterprises"),
    "enterprises-chains": simple("enterprises-chains"),
    "enterprises-chains-industry": simple("enterprises-chains-industry"),
    "enterprises-chains-industry-add-lead": [("auto", P, r("enterprises-chains-industry-add-lead",
                                                          pk("industry_chain")))],
    "enterprises-chains-industry-remove-lead": [("auto", P, r("enterprises-chains-industry-remove-lead",
                                                             pk("industry_chain"), HUBEI_LEAD))],
    "enterprises-chains-situations": simple("enterprises-chains-situations"),
    "enterprises-chains-situation-export": [("de", G, r("enterprises-chains-situation-export", pk("situation")))],
    "enterprises-chains-situation": [("de", G, r("enterprises-chains-situation", pk("situation")))],
    "enterprises-chains-industry-detail": [("auto", G, r("enterprises-chains-industry-detail", pk("industry_chain")))],
    "enterprises-chain": per_enterprise("enterprises-chain"),
    "enterprises-chain-export": per_enterprise("enterprises-chain-export"),
    "enterprises-served": per_enterprise("enterprises-served"),
    "enterprises-contacts": simple("enterprises-contacts"),
    "enterprises-contact-create": simple("enterprises-contact-create"),
    "enterprises-assignments": simple("enterprises-assignments"),
    "enterprises-assignment-end": simple("enterprises-assignment-end", P, pk("assignment")),
    "enterprises-coverage": simple("enterprises-coverage"),
    "enterprises-contact-photo": simple("enterprises-contact-photo", G, tok("photo")),
    "enterprises-contact-detail": simple("enterprises-contact-detail", G, pk("contact")),
    "enterprises-contact-edit": simple("enterprises-contact-edit", G, pk("contact")),
    "enterprises-contact-problem": simple("enterprises-contact-problem", G, pk("contact")),
    # notifications
    "chainwork-notifications": simple("chainwork-notifications"),
    "chainwork-notification-open": simple("chainwork-notification-open", G, pk("notification")),
    "chainwork-notifications-read-all": simple("chainwork-notifications-read-all", P),
    "chainwork-notification-preferences": simple("chainwork-notification-preferences", P),
    # 通讯录
    "directory": simple("directory"),
    "directory-me": [("", G, r("directory-me")), ("post", P, r("directory-me"))],
    # reports
    "reports-dashboard": simple("reports-dashboard"),
    "reports-daily": simple("reports-daily"),
    "reports-daily-print": simple("reports-daily-print"),
    "reports-dashboard-export": simple("reports-dashboard-export"),
    "reports-weekly-finalise": simple("reports-weekly-finalise", P),
    "reports-daily-finalise": simple("reports-daily-finalise", P),
    "reports-daily-export": simple("reports-daily-export"),
    "reports-zero-report": simple("reports-zero-report", P),
    "reports-weekly": simple("reports-weekly"),
    "reports-benefit": simple("reports-benefit"),
    "reports-benefit-export": simple("reports-benefit-export"),
    "reports-departments": simple("reports-departments"),
    "reports-departments-export": simple("reports-departments-export"),
    # policies
    "policies-list": simple("policies-list"),
    "policies-detail": simple("policies-detail", G, pk("policy")),
    "policies-applications": simple("policies-applications"),
    "policies-application-create": simple("policies-application-create"),
    "policies-report": simple("policies-report"),
    "policies-report-export": simple("policies-report-export"),
    "policies-financing": simple("policies-financing"),
    "policies-financing-export": simple("policies-financing-export"),
    "policies-financing-create": simple("policies-financing-create"),
    "policies-financing-detail": simple("policies-financing-detail", G, pk("financing_need")),
    "policies-financing-step": simple("policies-financing-step", P, pk("financing_need"), "refuse"),
    "policies-arrears": simple("policies-arrears"),
    "policies-arrears-export": simple("policies-arrears-export"),
    "policies-arrear-create": simple("policies-arrear-create"),
    "policies-arrear-detail": simple("policies-arrear-detail", G, pk("arrear")),
    "policies-arrear-repay": simple("policies-arrear-repay", P, pk("arrear")),
    "policies-arrear-dispute": simple("policies-arrear-dispute", P, pk("arrear")),
    "policies-plans": simple("policies-plans"),
    "policies-plan-create": simple("policies-plan-create"),
    "policies-plan-detail": [("hubei", G, r("policies-plan-detail", pk("hubei_plan"))),
                             ("chain", G, r("policies-plan-detail", pk("chain_plan")))],
    "policies-plan-edit": [("hubei", G, r("policies-plan-edit", pk("hubei_plan")))],
    "policies-plan-step": [("hubei", P, r("policies-plan-step", pk("hubei_plan"), "approve")),
                           ("chain", P, r("policies-plan-step", pk("chain_plan"), "lift"))],
    "policies-reserves": simple("policies-reserves"),
    "policies-reserve-create": simple("policies-reserve-create"),
    "policies-reserve-detail": simple("policies-reserve-detail", G, pk("reserve")),
    "policies-reserve-edit": simple("policies-reserve-edit", G, pk("reserve")),
    "policies-reserve-step": simple("policies-reserve-step", P, pk("reserve"), "submit"),
    "policies-service-plans": simple("policies-service-plans"),
    "policies-service-plan-report": simple("policies-service-plan-report"),
    "policies-service-plan-create": simple("policies-service-plan-create"),
    "policies-service-plan-detail": simple("policies-service-plan-detail", G, pk("service_plan")),
    "policies-service-plan-edit": simple("policies-service-plan-edit", G, pk("service_plan")),
    "policies-service-measure-add": simple("policies-service-measure-add", P, pk("service_plan")),
    "policies-service-measure-progress": simple("policies-service-measure-progress", P, pk("service_plan"),
                                                pk("measure")),
    "reports-exposure-docx": [("de", G, r("reports-exposure-docx", pk("situation")))],
    # coordination
    "cases-referrals": simple("cases-referrals"),
    "cases-referral-print": simple("cases-referral-print", G, pk("referral")),
    "cases-referral-respond": simple("cases-referral-respond", P, pk("referral")),
    "cases-referral-send-back": simple("cases-referral-send-back", P, pk("referral")),
    "cases-referral-urge": simple("cases-referral-urge", P, pk("referral")),
    "cases-referral-extend": simple("cases-referral-extend", P, pk("referral")),
    "cases-extensions": simple("cases-extensions"),
    "cases-extension-grant": per_extension("cases-extension-grant"),
    "cases-extension-refuse": per_extension("cases-extension-refuse"),
    "cases-listed-board": simple("cases-listed-board"),
    "cases-shares": simple("cases-shares"),
    "cases-supervision-print": per_case("cases-supervision-print"),
    "cases-groups": simple("cases-groups"),
    "cases-group-detail": simple("cases-group-detail", G, pk("group")),
    "cases-group-add": simple("cases-group-add", P, pk("group")),
    "cases-group-remove": simple("cases-group-remove", P, pk("group"), pk("hubei_case")),
    "cases-group-route": simple("cases-group-route", P, pk("group")),
    "cases-group-urge": simple("cases-group-urge", P, pk("group")),
    "cases-group-respond": simple("cases-group-respond", P, pk("group")),
    # cases
    "cases-list": simple("cases-list"),
    "cases-export": simple("cases-export"),
    "cases-bulk": simple("cases-bulk", P),
    "cases-view-save": simple("cases-view-save", P),
    "cases-view-delete": simple("cases-view-delete", P, pk("saved_view")),
    "cases-queue": simple("cases-queue"),
    "cases-batches": simple("cases-batches"),
    "cases-batch-create": simple("cases-batch-create"),
    "cases-batch-detail": [("hubei_batch", G, r("cases-batch-detail", pk("batch")))],
    "cases-batch-approve": [("hubei_batch", P, r("cases-batch-approve", pk("batch")))],
    "cases-import": simple("cases-import"),
    "cases-import-confirm": simple("cases-import-confirm", P),
    "cases-import-template": simple("cases-import-template"),
    "cases-create": simple("cases-create"),
    "cases-enterprise-search": simple("cases-enterprise-search"),
    "cases-enterprise-pick": simple("cases-enterprise-pick"),
    "cases-attachment-download": simple("cases-attachment-download", G, tok("attachment")),
    "cases-detail": [*per_case("cases-detail"), ("assoc_case", G, r("cases-detail", pk("assoc_case")))],
    "cases-print": [*per_case("cases-print"), ("assoc_case", G, r("cases-print", pk("assoc_case")))],
    "cases-register": [("", G, r("cases-register")), ("post", P, r("cases-register"))],
    "cases-registered": simple("cases-registered"),
    "cases-attachment-upload": per_case("cases-attachment-upload", P),
    "cases-action": per_case("cases-action", P, ("urge",)),
    # API
    "api-token": simple("api-token", P),
    "api-root": simple("api-root"),
    "region-list": simple("region-list"),
    "directory-list": simple("directory-list"),
    "region-detail": [("", G, r("region-detail", code="42"))],
    "department-list": simple("department-list"),
    "department-detail": [("", G, r("department-detail", slug="mot"))],
    "enterprise-list": simple("enterprise-list"),
    "industry-chain-list": simple("industry-chain-list"),
    "industry-chain-detail": [("auto", G, r("industry-chain-detail", pk("industry_chain")))],
    "industry-chain-impact": [("auto", G, r("industry-chain-impact", pk("industry_chain")))],
    "country-situation-list": simple("country-situation-list"),
    "country-situation-detail": [("de", G, r("country-situation-detail", pk("situation")))],
    "country-situation-exposure": [("de", G, r("country-situation-exposure", pk("situation")))],
    "enterprise-detail": per_enterprise("enterprise-detail"),
    "enterprise-chain": per_enterprise("enterprise-chain"),
    "supply-link-list": simple("supply-link-list"),
    "supply-link-detail": simple("supply-link-detail", G, pk("gd_link")),
    "status-report-list": simple("status-report-list"),
    "status-report-detail": simple("status-report-detail", G, pk("status_report")),
    "case-list": simple("case-list"),
    "case-detail": [*per_case("case-detail"), ("assoc_case", G, r("case-detail", pk("assoc_case")))],
    **{f"case-{action}": per_case(f"case-{action}", P) for action in CASE_API_ACTIONS},
    "notification-list": simple("notification-list"),
    "notification-read-all": simple("notification-read-all", P),
    "notification-read": simple("notification-read", P, pk("notification")),
    "referral-list": simple("referral-list"),
    "case-share-list": simple("case-share-list"),
    "referral-detail": simple("referral-detail", G, pk("referral")),
    "referral-respond": simple("referral-respond", P, pk("referral")),
    "referral-send-back": simple("referral-send-back", P, pk("referral")),
    "referral-extend": simple("referral-extend", P, pk("referral")),
    "extension-list": simple("extension-list"),
    "extension-detail": per_extension("extension-detail", G),
    "extension-grant": per_extension("extension-grant"),
    "extension-refuse": per_extension("extension-refuse"),
    "reports-api-departments-list": simple("reports-api-departments-list"),
    "liaison-assignment-list": simple("liaison-assignment-list"),
    "liaison-assignment-detail": simple("liaison-assignment-detail", G, pk("assignment")),
    "liaison-assignment-end": simple("liaison-assignment-end", P, pk("assignment")),
    "contact-list": simple("contact-list"),
    "contact-detail": simple("contact-detail", G, pk("contact")),
    "contact-raise-problem": simple("contact-raise-problem", P, pk("contact")),
    "reports-api-dashboard-list": simple("reports-api-dashboard-list"),
    "policy-list": simple("policy-list"),
    "policy-matches": simple("policy-matches"),
    "policy-detail": simple("policy-detail", G, pk("policy")),
    "policy-application-list": simple("policy-application-list"),
    "policy-application-detail": simple("policy-application-detail", G, pk("application")),
    "consultation-list": simple("consultation-list"),
    "consultation-detail": per_meeting("consultation-detail"),
    "consultation-proposal": simple("consultation-proposal", G, pk("meeting")),
    "consultation-decisions": simple("consultation-decisions", P, pk("meeting")),
    "decision-list": simple("decision-list"),
    "decision-detail": simple("decision-detail", G, pk("decision_mot")),
    "decision-done": simple("decision-done", P, pk("decision_mot")),
    # 会商 pages
    "meetings-list": simple("meetings-list"),
    "meetings-create": simple("meetings-create"),
    "meetings-decisions": simple("meetings-decisions"),
    "meetings-decision-done": simple("meetings-decision-done", P, pk("decision_mot")),
    "meetings-detail": per_meeting("meetings-detail"),
    "meetings-edit": per_meeting("meetings-edit"),
    "meetings-proposal": simple("meetings-proposal", G, pk("meeting")),
    "meetings-agenda-add": simple("meetings-agenda-add", P, pk("meeting")),
    "meetings-agenda-item": simple("meetings-agenda-item", P, pk("meeting"), pk("meeting_item")),
    "meetings-decision-create": simple("meetings-decision-create", P, pk("meeting")),
    "reports-minutes-print": per_meeting("reports-minutes-print"),
    "reports-minutes-docx": simple("reports-minutes-docx", G, pk("meeting")),
    "reports-monitoring": simple("reports-monitoring"),

    "financing-need-list": simple("financing-need-list"),
    "financing-need-detail": simple("financing-need-detail", G, pk("financing_need")),
    "financing-need-match": simple("financing-need-match", P, pk("financing_need")),
    "financing-need-credit": simple("financing-need-credit", P, pk("financing_need")),
    "financing-need-disburse": simple("financing-need-disburse", P, pk("financing_need")),
    "financing-need-refuse": simple("financing-need-refuse", P, pk("financing_need")),
    "response-plan-list": simple("response-plan-list"),
    "response-plan-detail": simple("response-plan-detail", G, pk("hubei_plan")),
    "response-plan-approve": simple("response-plan-approve", P, pk("hubei_plan")),
    "response-plan-activate": simple("response-plan-activate", P, pk("hubei_plan")),
    "response-plan-lift": [("chain", P, r("response-plan-lift", pk("chain_plan")))],
    "policy-reserve-list": simple("policy-reserve-list"),
    "policy-reserve-detail": simple("policy-reserve-detail", G, pk("reserve")),
    "policy-reserve-submit": simple("policy-reserve-submit", P, pk("reserve")),
    "policy-reserve-issue": simple("policy-reserve-issue", P, pk("reserve")),
    "policy-reserve-shelve": simple("policy-reserve-shelve", P, pk("reserve")),
    "service-plan-list": simple("service-plan-list"),
    "service-plan-detail": simple("service-plan-detail", G, pk("service_plan")),
    "service-plan-measures": simple("service-plan-measures", P, pk("service_plan")),
    "service-plan-progress": simple("service-plan-progress", P, pk("service_plan")),
    "arrear-list": simple("arrear-list"),
    "arrear-detail": simple("arrear-detail", G, pk("arrear")),
    "arrear-repay": simple("arrear-repay", P, pk("arrear")),
    "arrear-dispute": simple("arrear-dispute", P, pk("arrear")),
    "api-schema": simple("api-schema"),
    "api-docs": simple("api-docs"),
    # unnamed and grouped routes, keyed by their route
    "favicon.ico": [("", G, lambda w: "/favicon.ico")],
    "admin/": [("", G, lambda w: "/admin/")],
}
