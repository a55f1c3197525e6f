"""The county's 2023 rubric (附件2) as data, and the yearly outputs of 第七条.

Loaded by the data migration 0002 and, idempotently, by ``ensure_rubric_2023()`` (demo data and tests
that run after a database flush). Chinese texts are the form's own wording: they are data, not UI strings.
"""

from __future__ import annotations

from decimal import Decimal

D = Decimal

# (category code, name, max, tiebreak, [(item code, text, max, kind, [(rule code, label, points each)])])
RUBRIC_2023 = {
    "code": "2023",
    "name": "沁人社字〔2023〕26号附件2",
    "bonus_cap": D("10"),
    "excellent_percent": 15,
    "categories": [
        ("system", "制度建设", D("15"), None, [
            ("organization", "建立组织体系，明确岗位及成员职责", D("2"), "judged", []),
            ("annual_plan", "制定完善的年度计划（含技能人才培养规划）", D("5"), "judged", []),
            ("management_rules", "制定较为完善配套的工作管理制度，包括组织管理制度、经费管理制度等", D("4"), "judged", []),
            ("responsibility", "建立技师工作站目标责任制", D("4"), "judged", []),
        ]),
        ("support", "保障建设", D("15"), None, [
            ("matching_funds", "承办单位对工作站配套相应的经费扶持", D("4"), "judged", []),
            ("office", "建有25平方米以上办公场所", D("4"), "judged", []),
            ("study_space", "建立固定（兼有）的学习交流场所", D("3"), "judged", []),
            ("equipment", "配备与工作目标相一致的设施设备", D("4"), "judged", []),
        ]),
        ("research", "技术攻关和研发", D("30"), 1, [
            ("patents", "发明专利、实用新型专利：每项发明专利3分、实用新型专利2分", D("8"), "counted", [
                ("invention_patents", "发明专利（项）", D("3")),
                ("utility_patents", "实用新型专利（项）", D("2")),
            ]),
            ("awards", "革新成果或科技进步奖：县级1分、市级2分、省级3分、国家级4分", D("7"), "counted", [
                ("awards_county", "县级奖励（项）", D("1")),
                ("awards_city", "市级奖励（项）", D("2")),
                ("awards_province", "省级奖励（项）", D("3")),
                ("awards_national", "国家级奖励（项）", D("4")),
            ]),
            ("promotion", "推广新技术、新工艺，提高生产效率或产生良好经济效益：每项5分", D("15"), "counted", [
                ("promoted_technologies", "推广的新技术、新工艺（项）", D("5")),
            ]),
        ]),
        ("mentoring", "带徒传艺", D("25"), 2, [
            ("apprentice_plan", "制定年度带徒计划及阶段工作进度表", D("3"), "judged", []),
            ("trains_five", "每年为企业或社会培养5名以上技能技术骨干", D("20"), "judged", []),
            ("training_records", "带徒过程及日常技艺培训指导有详细记录", D("2"), "judged", []),
        ]),
        ("exchange", "技术交流", D("15"), None, [
            ("internal_training", "积极组织企业内部技术培训及交流", D("5"), "judged", []),
            ("industry_exchange", "积极参与行业间技术交流、研讨或人才交流活动", D("5"), "judged", []),
            ("school_enterprise", "校企合作情况", D("5"), "judged", []),
        ]),
    ],
    "bonus": [
        ("city_presentations", "在市级以上会议上作经验介绍（次）", D("3")),
        ("county_commendations", "获县（市、区）级表彰奖励（项）", D("2")),
        ("city_commendations", "获市级以上表彰奖励（项）", D("3")),
    ],
}

LEDGER_TARGETS = {"trained": 5, "project": 1, "cooperation": 1, "competition": 1}


def load_rubric(spec: dict, apps=None):
    """Create the version described by ``spec`` unless it exists. Returns the version."""
    if apps is None:
        from django.apps import apps as django_apps

        apps = django_apps
    Version = apps.get_model("reviews", "RubricVersion")
    Category = apps.get_model("reviews", "RubricCategory")
    Item = apps.get_model("reviews", "RubricItem")
    Rule = apps.get_model("reviews", "CountRule")
    version = Version.objects.filter(code=spec["code"]).first()
    if version is not None:
        return version
    version = Version.objects.create(code=spec["code"], name=spec["name"], bonus_cap=spec["bonus_cap"],
                                     excellent_percent=spec["excellent_percent"])
    item_order = rule_order = 0
    for c_order, (c_code, c_name, c_max, tiebreak, items) in enumerate(spec["categories"], start=1):
        category = Category.objects.create(version=version, code=c_code, name=c_name, max_points=c_max,
                                           order=c_order, tiebreak=tiebreak)
        for i_code, text, i_max, kind, rules in items:
            item_order += 1
            item = Item.objects.create(version=version, category=category, code=i_code, text=text, max_points=i_max,
                                       kind=kind, order=item_order)
            for r_code, label, each in rules:
                rule_order += 1
                Rule.objects.create(version=version, item=item, code=r_code, label=label, points_each=each,
                                    order=rule_order)
    for r_code, label, each in spec["bonus"]:
        rule_order += 1
        Rule.objects.create(version=version, item=None, code=r_code, label=label, points_each=each, order=rule_order)
    return version


def load_ledger_targets(apps=None) -> None:
    if apps is None:
        from django.apps import apps as django_apps

        apps = django_apps
    Target = apps.get_model("reviews", "LedgerTarget")
    for kind, minimum in LEDGER_TARGETS.items():
        Target.objects.get_or_create(kind=kind, defaults={"minimum": minimum})


def ensure_rubric_2023():
    load_ledger_targets()
    return load_rubric(RUBRIC_2023)
