from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safetynet.accounts"
    verbose_name = "用户与权限"
