from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "safetynet.feeds"
    verbose_name = "部门数据"
