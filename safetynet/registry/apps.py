from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "safetynet.registry"
    verbose_name = "户籍与家庭信息"
