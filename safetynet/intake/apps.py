from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "safetynet.intake"
    verbose_name = "一门受理（申请、调查核实、审核确认）"
