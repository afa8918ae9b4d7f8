from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "safetynet.demo"
    verbose_name = "演示数据"
