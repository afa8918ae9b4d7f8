from django.apps import AppConfig


class ParametersConfig(AppConfig):
    name = "safetynet.parameters"
    verbose_name = "政策参数（管理员添加的取值）"
