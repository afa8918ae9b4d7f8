from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "safetynet.reviews"
    verbose_name = "定期核查"
