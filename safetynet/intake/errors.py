"""The errors of the one-window path. Each str() is the Chinese message shown to the user."""

from __future__ import annotations

NOT_YOUR_ROLE = "您的角色（{role}）不能{action}"
NOT_YOUR_REGION = "该申请不在您负责的区划内，不能{action}"
ALREADY_HANDLED = "该申请已被他人处理（您看到的是第{expected}版），请刷新页面查看最新情况后再操作"
WRONG_STATE = "申请当前为“{state}”，不能{action}"
DATE_IN_FUTURE = "办理日期{on}晚于今天，请填写实际办理的日期"
DATE_BEFORE_PREVIOUS = "办理日期{on}早于上一步的日期{previous}，请核对"
REASON_REQUIRED = "请填写{what}的理由"

NOTHING_REQUESTED = "请至少选择一项申请的救助类别，或申请纳入防止返贫监测"
UNKNOWN_CATEGORY = "“{code}”不是可申请的救助类别"
NEED_HOUSEHOLD = "请填写家庭信息，或选择已建档的家庭"
APPLICANT_NOT_MEMBER = "申请人须为该户在册的家庭成员，请从成员中选择"
OPEN_APPLICATION_EXISTS = "该户已有办理中的申请{number}（{state}），不能重复申请；如需变更请在原申请中办理"
AUTHORIZATION_MISSING = "尚未上传申请人签字的核对授权书，不能受理；请上传扫描件，或发出补正告知"
CORRECTION_ITEMS_REQUIRED = "请逐项列出需要补正的全部材料（一次性告知）"
CORRECTION_ONCE = "该申请已于{on}发出过补正告知；补正须一次性告知，不能再次要求补正"
STAFF_TOO_FEW = "调查核实须指派至少2名工作人员，目前为{count}名"
STAFF_NOT_IN_REGION = "{name}不负责该申请所在区划，不能指派为调查人员"
VISIT_STAFF_TOO_FEW = "入户调查须至少2人，请填写全部入户人员姓名（目前{count}人）"
VISIT_OBSERVATIONS_REQUIRED = "请填写入户所见情况"
VISIT_BEFORE_INVESTIGATION = "入户日期{on}早于本轮调查核实开始日期{started}"
VISIT_REQUIRED = "本轮调查核实尚无入户调查记录，不能结束调查核实"
ALREADY_DECIDED = "本轮分类审核已于{on}作出审核意见"
DECISION_MISSING = "请对“{label}”作出审核意见"
DECISION_DIFFERS = "“{label}”的审核意见与系统建议不同，请填写理由"
EDGE_EXCLUSIVE = "低保边缘家庭不能同时认定为低保或特困，请核对审核意见"
RIGID_EXCLUSIVE = "刚性支出困难家庭不能同时认定为特困、低保或低保边缘，请核对审核意见"
NOT_DECIDED = "乡镇尚未作出分类审核意见，不能开始公示"
NOTHING_TO_PUBLICISE = "乡镇审核未认定任何类别或标识，无需公示；请报县级不予确认"
OBJECTION_CONTENT_REQUIRED = "请填写异议内容"
OBJECTION_OUTSIDE = "异议收到日期{on}不在公示期（{start}至{end}）内"
ALREADY_EXTENDED = "该申请已于{on}延长过办理时限"
EXTEND_NOT_ACCEPTED = "申请尚未受理，不能延长办理时限"
BEFORE_REVIEW = "乡镇尚未完成调查核实和分类审核，县级不能{action}"
BEFORE_PUBLICITY = "乡镇尚未公示，县级不能确认"
PUBLICITY_RUNNING = "公示期至{end}止，期满后（{first}起）方可{action}"
PART_NOT_REQUIRED = "该申请不涉及{part}"
PART_DECIDED = "{part}已于{on}作出决定"
NOTHING_APPROVED = "乡镇审核未认定任何{part}，只能不予确认"
REFUSE_ONLY_IN_REVIEW = "乡镇审核已认定{part}，须待公示期满后确认或不予确认"
PART_FOR_ROLE = "请指明确认事项（救助类别或防止返贫监测标识）"
CONFIRMATION_STARTED = "县级已对该申请作出确认，不能{action}"


class IntakeError(Exception):
    """Any refusal of the one-window path."""


class ActionNotAllowed(IntakeError, PermissionError):
    """Wrong role, or the application is outside the user's regions."""


class WrongOrder(IntakeError):
    """Not now: the case is not in a state (or at a date) where this step can be taken."""


class StaleApplication(IntakeError):
    """Someone else acted on the application since it was loaded (no lost update)."""


class IntakeInvalid(IntakeError, ValueError):
    """Bad input; `field` names the form field to show it on."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field
