from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "safetynet.monitoring"
    verbose_name = "动态监测"
