from django.apps import AppConfig


class GridworkConfig(AppConfig):
    name = "safetynet.gridwork"
    verbose_name = "网格走访"
