from __future__ import annotations

from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "safetynet.policy"
    verbose_name = "认定规则与政策参数"

    def ready(self) -> None:
        """Load and validate the parameter files now, so a malformed file stops start-up (and CI)."""
        from safetynet.policy.engine import check_parameters
        from safetynet.policy.params import default_parameters

        check_parameters(default_parameters())
