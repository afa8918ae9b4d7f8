from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "safetynet.audit"
    verbose_name = "个人信息操作留痕"
