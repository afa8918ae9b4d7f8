from django.db import models


class Role(models.TextChoices):
    COUNTY_CIVIL = "county_civil", "县民政局"
    COUNTY_RURAL = "county_rural", "县农业农村局"
    TASK_FORCE = "task_force", "专班办公室"
    TOWNSHIP_CLERK = "township_clerk", "乡镇经办"
    TOWNSHIP_REVIEWER = "township_reviewer", "乡镇审核"
    GRID_WORKER = "grid_worker", "网格员/协理员"
    DEPARTMENT_CLERK = "department_clerk", "部门经办"
    AUDITOR = "auditor", "纪检监察"


class Department(models.TextChoices):
    HRSS = "hrss", "人社局"
    HEALTH = "health", "卫健局"
    MEDICAL_INSURANCE = "medical_insurance", "医保局"
    EDUCATION = "education", "教育局"
    HOUSING = "housing", "住建局"
    WATER = "water", "水利局"
    DISABLED = "disabled", "残联"
    WOMEN = "women", "妇联"
    EMERGENCY = "emergency", "应急局"
    # They send data (deaths, vehicles; business registrations) and take no part in assistance.
    POLICE = "police", "公安局"
    MARKET = "market", "市场监管局"
