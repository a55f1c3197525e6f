"""Steps several browser tests take the same way: the confirmation card, an upload, the parts of the 申报表 and
the expert's opinion that every application flow fills in."""

import time
from datetime import timedelta

from django.utils import timezone

from tests.applications.factories import PDF, PNG

CONFIRM = "我已了解上述后果，确认执行"


def confirm_step(page, title: str):
    """The confirmation card (includes/confirm.html) whose heading is ``title``."""
    return page.locator(".confirm-step", has=page.get_by_role("heading", name=title, exact=True))


def confirm(page, title: str, **fields):
    form = confirm_step(page, title)
    for label, value in fields.items():
        form.get_by_label(label).fill(value)
    form.get_by_label(CONFIRM).check()
    form.get_by_role("button", name=title).click()


def upload(page, kind: str, name: str, content: bytes, mime: str = "application/pdf"):
    page.get_by_label("材料类别").select_option(label=kind)
    page.get_by_label("文件").set_input_files(files=[{"name": name, "mimeType": mime, "buffer": content}])
    page.get_by_role("button", name="上传").click()
    page.get_by_text(f"已上传：{kind}：{name}").wait_for()


def fill_training_and_technical_work(page):
    """Step 3 of the 申报表 (人才培养与技术情况), not yet saved."""
    for name, text in [("training_system", "建立师带徒制度，近3年培养技师12名。"), ("training_plan", "3年培养高级技师3名。"),
                       ("equipment", "数控加工中心2台。"), ("technical_work_recent", "液压支架装配工艺改进2项。"),
                       ("technical_work_plan", "链轮修复技术攻关。"), ("projects", "市级技改项目1项。"),
                       ("school_cooperation", "与晋城技师学院共建实训基地。")]:
        page.locator(f"textarea[name={name}]").fill(text)


def declare_and_attach(page):
    """The plan and declarations step, saved, then the four required attachments, until the form says the
    application may be submitted."""
    page.locator("textarea[name=post_establishment_plan]").fill("设站长1名，年培养骨干5名以上。")
    for name in ("declares_talent_mechanism", "declares_sound_operation", "declares_advanced_equipment",
                 "declares_work_rules", "declares_truthful"):
        page.locator(f"input[name={name}]").check()
    page.get_by_label("同一团队是否同时申报县级技能大师工作室").select_option("False")
    page.get_by_role("button", name="保存并下一步").click()
    upload(page, "申请报告", "申请报告.pdf", PDF)
    upload(page, "申报表签字盖章扫描件", "申报表.pdf", PDF)
    upload(page, "法人营业执照或主管部门批准成立文件", "营业执照.png", PNG, "image/png")
    upload(page, "成员证书及业绩佐证材料", "证书.pdf", PDF)
    page.get_by_text("申报条件均已满足，可以提交。").wait_for()


def save_expert_opinion(page, seen: str = "实训车间约120平方米，设备完好。"):
    """An expert's review of an application with yesterday's site visit, recommending it; saved, not submitted."""
    page.get_by_label("资料审查意见").fill("材料齐全，证书真实有效。")
    page.get_by_label("实地查看日期").fill((timezone.localdate() - timedelta(days=1)).isoformat())
    page.get_by_label("实地查看情况（所见所闻）").fill(seen)
    page.get_by_label("同意推荐", exact=True).check()
    page.get_by_label("意见理由").fill("技师团队结构合理，条件具备。")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("已保存，可继续填写。").wait_for()


def recommend_with_report(page, opinion: str = "同意推荐。"):
    """The department's 同意推荐 with its 推荐报告 attached in the same step."""
    step = confirm_step(page, "同意推荐，上报县人社局")
    step.locator("input[name=report]").set_input_files(
        files=[{"name": "推荐报告.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    step.get_by_label("意见（选填）").fill(opinion)
    step.get_by_label(CONFIRM).check()
    step.get_by_role("button", name="同意推荐，上报县人社局").click()
    page.get_by_text("已办理：同意推荐，上报县人社局。").wait_for()


def scrolled_down(page, seconds: float = 5) -> float:
    """The page's scroll position once the browser has scrolled it (to an anchor, after loading), read through
    ``page.evaluate`` (CDP, which the pages' Content-Security-Policy allows; ``wait_for_function`` compiles its
    predicate with ``new Function``, which it forbids); 0 if it never scrolls within ``seconds``."""
    deadline = time.monotonic() + seconds
    while (y := page.evaluate("window.scrollY")) == 0 and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    return y
