from __future__ import annotations

from django.apps import AppConfig
from django.conf import settings


class PolicyConfig(AppConfig):
    name = "safetynet.policy"
    verbose_name = "认定规则与政策参数"

    def ready(self) -> None:
        """Load and validate the parameter files now, so a malformed file stops start-up (and CI).

        The files come from settings.SAFETYNET_PARAMETERS_DIR (or the environment variable of that
        name) when set, else from safetynet/policy/parameters/.
        """
        from safetynet.policy.engine import check_parameters
        from safetynet.policy.params import DIRECTORY_SETTING, use_parameters_directory

        check_parameters(use_parameters_directory(getattr(settings, DIRECTORY_SETTING, None)))
