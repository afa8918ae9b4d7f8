"""The refusals of the reviews app. Each str() is the Chinese message shown to the user."""

from __future__ import annotations

NO_CAPABILITY = "您的角色（{role}）不能登记定期核查或风险消除"
NOT_YOUR_ROLE = "您的角色（{role}）不能{action}"
NOT_YOUR_REGION = "该户不在您负责的区划内，不能{action}"
DATE_IN_FUTURE = "日期{on}晚于今天，请填写实际办理的日期"
REASON_REQUIRED = "请填写{what}"
STALE = "该记录已被他人处理，请刷新页面查看最新情况后再操作"

NOT_UNDER_REVIEW = "该户{on}的救助状态不含低保或特困，不在定期核查范围内"
REVIEW_BEFORE_LAST = "核查日期{on}早于该户上次核查日期{last}，请核对"
UNKNOWN_OUTCOME = "核查结果“{outcome}”无效；应为：继续保障、调整类别或金额、渐退、停止保障"
ADJUST_SAME = "调整后的类别和金额与现行状态相同；如无变化，请选择“继续保障”"
TAPER_ENGINE_DIBAO = "系统按当前家庭信息核算该户仍符合低保条件，不适用渐退；如收入确已超过标准，请先更正家庭信息"
TAPER_ENGINE_ERROR = "系统无法核算该户（{error}），不能确认收入已超过低保标准，请先补正家庭信息"

NOT_TAGGED = "该户现行状态不是防止返贫监测对象，不能办理风险消除"
ALREADY_ELIMINATED = "该户已于{on}标注风险消除"
NOT_A_CANDIDATE = "该户暂不符合风险消除条件：{reasons}"
RISKS_NOW = "按该户当前家庭信息核算仍有风险：{risks}；请先核实并更正家庭信息"
OPEN_CASE = "该户已有办理中的风险消除（{state}），不能重复发起"
STAFF_TOO_FEW = "核实须至少2人，请填写全部核实人员姓名（目前{count}人）"
FINDINGS_REQUIRED = "请填写核实情况（收入来源、两不愁三保障及饮水安全情况）"
WRONG_STATE = "风险消除当前为“{state}”，不能{action}"
PUBLICITY_RUNNING = "公示期至{end}止，期满后（{first}起）方可{action}"
OBJECTION_OUTSIDE = "异议收到日期{on}不在公示期（{start}至{end}）内"
BEFORE_VERIFIED = "公示开始日期{on}早于核实日期{verified}"


class ReviewError(Exception):
    """Any refusal of the reviews app; `field` names the form field it concerns, if any."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class ReviewNotAllowed(ReviewError, PermissionError):
    """Wrong role, or the household is outside the user's regions."""


class ReviewWrongOrder(ReviewError):
    """Not now: the household or the case is not in a state (or at a date) for this step."""


class ReviewStale(ReviewError):
    """Someone else acted since the page was read."""
